// Every CLI sub-command, one module each. Add a line here to register a new one.
import type { Command } from "commander";
import { registerCompressors } from "./compressors.js";
import { registerJoin } from "./join.js";
import { registerRun } from "./run.js";
import { registerE3 } from "./e3.js";
import { registerE2 } from "./e2.js";
import { registerServe } from "./serve.js";
import { registerSample } from "./sample.js";
import { registerDistortion } from "./distortion.js";
import { registerE5 } from "./e5.js";
import { registerData } from "./data.js";

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerCompressors,
  registerRun,
  registerE2,
  registerE3,
  registerServe,
  registerJoin,
  registerSample,
  registerDistortion,
  registerE5,
  registerData,
];
