// Jest's node environment with a plain global object. jest-environment-node 30 makes the test
// context from a JS Proxy, so every global name a hot loop reads (Math, Float32Array, …) goes
// through a proxy trap: kernels ran ~170× slower under jest than in Node. Node ≥ 20.18's
// vm.constants.DONT_CONTEXTIFY gives a context whose global is an ordinary object.
import vm from 'node:vm';
import NodeEnvironment from 'jest-environment-node';

export default class PlainGlobalEnvironment extends NodeEnvironment {
  constructor(config, context) {
    const createContext = vm.createContext;
    const plain = vm.constants?.DONT_CONTEXTIFY;
    // The base constructor builds the context with vm.createContext(proxy) and then installs
    // Node's globals into it; hand it a plain context instead (the proxy only tracked globals
    // to delete at teardown, which the discarded context makes moot).
    if (plain) vm.createContext = () => createContext(plain);
    try {
      super(config, context);
    } finally {
      vm.createContext = createContext;
    }
  }
}
