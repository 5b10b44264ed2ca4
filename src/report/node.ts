// The Node-only part of src/report (re-exported by src/node.ts): writers of report files to disk.
export { writeResults, writeSvg, writeHtmlReport } from "./write-node.js";
export { writeTextFiles } from "./files-node.js";
