# dialbridge: the conference server (either engine). Build: docker build -t dialbridge .
# Stage 1 installs dependencies with a compiler at hand (better-sqlite3 falls back to
# node-gyp when no prebuilt binary matches); stage 2 carries only the result.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# tsx runs the TypeScript sources, so it is a runtime dependency; test tools are not.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HTTP_LISTEN=0.0.0.0:3000 \
    SIP_LISTEN=0.0.0.0:5060
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY sounds ./sounds
# The image's own non-root user; DATA_DIR is the one writable place.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# SIP (embedded engine), HTTP API, RTP (embedded engine; keep outside the ephemeral range).
EXPOSE 5060/udp 5060/tcp 3000/tcp 20000-29999/udp
CMD ["node", "--import", "tsx", "src/main.ts"]
