// What one algorithm file hands to the registry: its name, wire id, config rules and parties.
import type { ClientBase, ClientInit } from "./client-base.js";
import type { ConfigRules } from "./config.js";
import type { PartyContext } from "./context.js";
import type { ServerBase, ServerInit } from "./server-base.js";

export interface AlgorithmSpec {
  name: string;
  /** envelope wire id, stable: never reuse one */
  id: number;
  /** one line: what it is and where it comes from */
  summary: string;
  rules: ConfigRules;
  upMemory: boolean;
  downMemory: boolean;
  Server: new (ctx: PartyContext, init: ServerInit) => ServerBase;
  Client: new (ctx: PartyContext, init: ClientInit) => ClientBase;
}
