/** The strategies by their upstream names; `per-node` takes its fallback for targets without a node. */
import type { AllocationStrategy } from "../config/targetAllocator.ts"
import { consistentHashing } from "./consistentHashing.ts"
import { leastWeighted } from "./leastWeighted.ts"
import { perNode } from "./perNode.ts"
import type { Strategy } from "./strategy.ts"

const simple: Record<Exclude<AllocationStrategy, "per-node">, Strategy> = {
  "consistent-hashing": consistentHashing,
  "least-weighted": leastWeighted
}

export const strategyFor = (name: AllocationStrategy, fallback: AllocationStrategy | ""): Strategy =>
  name === "per-node" ? perNode(fallback === "" || fallback === "per-node" ? undefined : simple[fallback]) : simple[name]
