# One image for the Miroir API, worker, migrations and miroir-ctl; the command picks the process.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY workflows workflows
COPY activities activities
COPY bench bench
COPY test/meili-sim test/meili-sim
RUN npx tsc -p tsconfig.build.json && npx tsc-alias -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production MIROIR_ENV=production
WORKDIR /app
# package.json marks the repository root for the worker's workflow bundler.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
USER node
EXPOSE 7700 9464
CMD ["node", "dist/apps/api/src/main.js"]
