// Every bench suite; add a line to include a new one.
import type { Suite } from "../harness.js";
import { kernelSuite } from "./kernel.js";
import { voronoiSuite } from "./voronoi.js";
import { e2eSuite } from "./e2e.js";
import { scaleSuite } from "./scale.js";

export const suites: Suite[] = [kernelSuite, voronoiSuite, e2eSuite, scaleSuite];
