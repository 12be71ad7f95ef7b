#!/bin/sh
cd "$(dirname "$0")"
command -v node || { echo "no node"; ls /usr/bin | grep -i node; exit 3; }
node --version; nproc; lscpu | grep 'Model name'
for f in ef_conv ef_conv_pool; do echo "== $f"; taskset -c 0,1 node $f.mjs; done
echo "== lenet"; taskset -c 0,1 node lenet.mjs
echo "== lenet_pool"; taskset -c 0,1 node lenet_pool.mjs | tail -1
echo "== tfjs"; taskset -c 0,1 node tfjs_all.bundle.mjs 2>&1 | grep tfjs
