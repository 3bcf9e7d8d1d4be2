# For users without Nix: `docker build -t target-allocator .`
# Node 24 runs the TypeScript sources directly (type stripping), exactly as `npm start` does.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY layers ./layers
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "--max-semi-space-size=32", "/app/layers/main.ts"]
CMD ["--config-file", "/conf/targetallocator.yaml"]
