# For users without Nix: `docker build -t target-allocator .`
# The build stage bundles the program with esbuild (`npm run build`, as `npm start` does); the bundle carries its
# dependencies, so the image holds Node and dist/ and no node_modules.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# With the optional dependencies: esbuild's binary is one (@esbuild/<platform>).
RUN npm ci --no-audit --no-fund
COPY build.ts ./
COPY src ./src
COPY layers ./layers
RUN node build.ts

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
# Transparent huge pages for malloc'd memory, where the kernel leaves them to madvise: the typed arrays holding a
# million targets' columns fault and miss the TLB less (a tenth off the first allocation, bench/README.md).
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1
COPY --from=build /app/dist ./dist
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "--max-semi-space-size=32", "/app/dist/main.mjs"]
CMD ["--config-file", "/conf/targetallocator.yaml"]
