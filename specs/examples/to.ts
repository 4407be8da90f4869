// The total order service (one order per view, agreed at view changes), with clients that cast
// and, within a budget, crashes. Its properties are the TO trace checker and every catalogue
// property the service promises.

import { services } from "../services.ts";
import { toService } from "../to.ts";
import { viewServiceModel } from "../view-service-model.ts";

export default viewServiceModel({ name: "to", description: "The total order service with casting clients and crashes." }, services.to, toService);
