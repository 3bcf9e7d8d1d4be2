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
COPY --from=build /app/dist ./dist
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "--max-semi-space-size=32", "/app/dist/main.mjs"]
CMD ["--config-file", "/conf/targetallocator.yaml"]
