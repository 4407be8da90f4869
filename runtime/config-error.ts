// A member configured wrongly (`join` options, `troupe node` flags): the message names the option.

import { TroupeError } from "../ioa/index.ts";

export class ConfigError extends TroupeError {
  override name = "ConfigError";
}
