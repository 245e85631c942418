# syntax=docker/dockerfile:1
#
# Production image of any ShopNow service, one file for all of them. Build from the
# repository root, naming the service:
#   docker build --build-arg SERVICE=product -t shopnow/product .
# Every path and package name derives from SERVICE, so a new service needs no
# Dockerfile of its own (tools/dev/test/dockerfile.test.ts checks it can be built).
#
# Node runs the TypeScript sources directly (type stripping), so there is no
# compile step: the image holds the service's src/ and migrations/, the shared
# packages/, and the production dependencies of this one workspace.

ARG SERVICE
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Just the npm manifests of the monorepo (workspace package.json files and the
#    lockfile), so the dependency layer below is rebuilt only when they change.
FROM ${NODE_IMAGE} AS manifests
ARG SERVICE
WORKDIR /src
COPY . .
# A missing or unknown SERVICE fails here, with the reason, instead of an empty image later.
RUN if [ -z "${SERVICE}" ]; then echo 'build with --build-arg SERVICE=<a folder of services/>' >&2; exit 1; fi \
 && if [ ! -f "services/${SERVICE}/src/main.ts" ]; then echo "no service ${SERVICE}: services/${SERVICE}/src/main.ts is missing" >&2; exit 1; fi \
 && mkdir /manifests \
 && cp package.json package-lock.json .npmrc /manifests/ \
 && find . -mindepth 2 -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

# 2. Production dependencies of this service's workspace only.
FROM ${NODE_IMAGE} AS deps
ARG SERVICE
WORKDIR /app
COPY --from=manifests /manifests/ ./
# Workspaces are linked from the root, so npm counts a workspace's devDependencies
# (e.g. @shopnow/testkit and its embedded Postgres) as production ones under
# --omit=dev. Dropping them from this throwaway copy of the manifest keeps them out.
RUN --mount=type=cache,target=/root/.npm \
    npm pkg delete devDependencies --workspace "@shopnow/${SERVICE}" \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace "@shopnow/${SERVICE}" --include-workspace-root=false

# 3. The runtime: slim Node 24, production dependencies, sources, non-root user.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="shopnow-${SERVICE}" \
      org.opencontainers.image.description="ShopNow ${SERVICE} service"
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
# Dependencies first (a layer that changes rarely), then the sources. Files stay
# owned by root: the service user can read the code but not rewrite it.
COPY --from=deps /app/node_modules/ node_modules/
COPY --from=deps /app/packages/ packages/
COPY --from=deps /app/services/${SERVICE}/ services/${SERVICE}/
COPY package.json ./
COPY packages/ packages/
COPY services/${SERVICE}/ services/${SERVICE}/
WORKDIR /app/services/${SERVICE}
USER node
EXPOSE 8080
# No curl in the slim image: Node itself probes the liveness endpoint.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT ?? 8080}/health/live`, { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (the chassis drains, then exits 0).
# One-off admin commands use the same image: `docker run ... node src/admin.ts migrate`.
CMD ["node", "--import", "@shopnow/chassis/tracing", "src/main.ts"]
