// Runs a Python script inside the Pyodide that the site ships (flet-web's), under Node.js, for the build: the very
// interpreter the browser runs, so the bytecode it writes and the modules it sees imported are the browser's.
//
//   node pyodide_node.mjs PYODIDE_DIR WORK_DIR [MOUNT_POINT=HOST_DIR ...]
//
// WORK_DIR is mounted at /work and WORK_DIR/script.py is run (top-level await allowed); each further argument
// mounts a host folder. The script writes its results under /work.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [, , pyodideDir, work, ...mounts] = process.argv;
const indexURL = pyodideDir.endsWith("/") ? pyodideDir : pyodideDir + "/";
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL });
pyodide.mountNodeFS("/work", work);
for (const mount of mounts) {
  const [point, host] = mount.split("=");
  pyodide.mountNodeFS(point, host);
}
pyodide.registerJsModule("flet_js", {}); // what the Flet client gives the browser's worker; nothing connects here
await pyodide.runPythonAsync(readFileSync(`${work}/script.py`, "utf8"));
