// Fekete, Lynch and Shvartsman's partitionable virtual synchrony service, with clients that cast
// and, within a budget, crashes. Its properties are the VS trace checker and every catalogue
// property the service promises.

import { services } from "../services.ts";
import { vsService } from "../vs.ts";
import { viewServiceModel } from "../view-service-model.ts";

export default viewServiceModel({ name: "vs", description: "The VS service of Fekete, Lynch and Shvartsman with casting clients and crashes." }, services.vs, vsService);
