// Must not type-check: the client generated from the document knows the cancel modes, so "gentle" is an error.
// The tests compile this (tsconfig.misuse.json) to prove the generated types are strict, not `any`.
import createClient from "openapi-fetch";
import type { paths } from "../generated/ripcord.js";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1" });
await client.POST("/api/v1/cases/{caseId}/cancel", { params: { path: { caseId: "c-1" } }, body: { mode: "gentle" } });
