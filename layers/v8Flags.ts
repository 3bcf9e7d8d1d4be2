/**
 * A V8 setting the allocator runs with, set when the process starts rather than on Node's command line, which
 * the `target-allocator` bin, `npm start`, the container and users' own wrappers would each have to repeat.
 *
 * External memory (the gzipped HTTP_SD bodies are `Buffer`s outside the V8 heap) counted in the heap's limit:
 * without it, V8 collects the whole heap for every 64 MB or so of new external memory, whatever the heap holds. At a
 * million targets, when an update changes every document, every collector polling its documents again makes 73 MB
 * of new bodies: that was two or three full collections of the 500 MB heap per round of polls, up to a second each,
 * which landed in polls and in the next update alike. With it, a round of polls makes one, or none
 * (bench/README.md). Node 24's V8 (13) has the flag; older ones do not know it, and are left as they are.
 */
import { setFlagsFromString } from "node:v8"

if (Number(process.versions.v8.split(".")[0]) >= 13) setFlagsFromString("--external-memory-accounted-in-global-limit")
