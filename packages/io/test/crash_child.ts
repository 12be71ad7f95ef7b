/**
 * Child process of crash.test.ts: keeps saving checkpoints (step s: layer{i}/w filled with
 * 10·s + i) until it is killed. Resumes from the directory's latest checkpoint.
 */
import * as ef from '@eagerflow/core';
import '@eagerflow/cpu-backend';
import * as io from '@eagerflow/io';

const dir = process.argv[2]!;
const N = Number(process.argv[3] ?? 65536);
await ef.setBackend('cpu');
const vars = [0, 1, 2].map((i) => ef.variable(ef.tensor(new Float32Array(N)), { name: `layer${i}/w` }));
const step = ef.variable(ef.tensor([0n], [], 'int64'), { name: 'global_step', trainable: false });
const saver = new io.Saver({ maxToKeep: 2 });
let s = 0;
const st = await io.getCheckpointState(dir);
if (st) {
  await saver.restore(st.modelCheckpointPath);
  s = Number((step.dataSync() as BigInt64Array)[0]);
  await saver.recoverLastCheckpoints(st.allModelCheckpointPaths);
}
process.stdout.write(`ready ${s}\n`);
for (;;) {
  s++;
  vars.forEach((v, i) => v.assign(ef.tensor(new Float32Array(N).fill(10 * s + i))));
  step.assign(ef.tensor([BigInt(s)], [], 'int64'));
  process.stdout.write(`saving ${s}\n`);
  await saver.save(`${dir}/model.ckpt`, { globalStep: step });
  process.stdout.write(`saved ${s}\n`);
}
