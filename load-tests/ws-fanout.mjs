// WebSocket fan-out of previews: WATCHERS sockets watch one running video's /events; every JSON event and binary
// preview frame goes to all of them. Reports, per preview, the delivery delay (receipt time minus the event's
// created_at, same machine clock) over all watchers, and whether every watcher got every event.
// Usage: node ws-fanout.mjs PORT [WATCHERS] [STEPS (<= 50 for mova-tiny)]   (the server: run-gateway.sh PORT 00:00:00.100)
import WebSocket from 'ws';

const port = Number(process.argv[2] ?? 8080);
const watchers = Number(process.argv[3] ?? 500);
const steps = Number(process.argv[4] ?? 50);
const base = `http://127.0.0.1:${port}`;
const auth = { Authorization: 'Bearer mova-dev-key' };

const create = (prompt) => fetch(`${base}/v1/videos`, {
  method: 'POST',
  headers: { ...auth, 'Content-Type': 'application/json' },
  body: JSON.stringify({ prompt, model: 'mova-tiny', size: '64x48', num_frames: 9, fps: 8, num_inference_steps: steps }),
}).then((r) => r.json());
// A first video keeps the single worker busy, so every watcher is connected before the watched video starts and
// the delays below are live deliveries, not replays.
const blocker = await create('fan-out blocker');
if (!blocker.id) throw new Error(`create failed: ${JSON.stringify(blocker)}`);
const created = await create('fan-out benchmark');
if (!created.id) throw new Error(`create failed: ${JSON.stringify(created)}`);
const id = created.id;

const delays = [];
const perWatcher = [];
let previewBytes = 0;
const connectStart = performance.now();
const sockets = await Promise.all(Array.from({ length: watchers }, (_, i) => new Promise((resolve, reject) => {
  const seen = { events: 0, previews: 0, done: false };
  perWatcher[i] = seen;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/videos/${id}/events`, { headers: auth });
  socket.binaryType = 'nodebuffer';
  socket.on('open', () => resolve(socket));
  socket.on('error', reject);
  socket.on('message', (data, isBinary) => {
    const now = Date.now();
    if (isBinary) {
      const metadataLength = data.readUInt32BE(4);
      const metadata = JSON.parse(data.subarray(8, 8 + metadataLength).toString('utf8'));
      previewBytes = data.length - 8 - metadataLength;
      delays.push(now - metadata.created_at);
      seen.previews++;
      seen.events++;
      return;
    }
    const message = JSON.parse(data.toString('utf8'));
    if (message.type === 'video.snapshot') return;
    seen.events++;
    if (message.type === 'video.completed' || message.type === 'video.failed' || message.type === 'video.cancelled') seen.done = true;
  });
})));
const connectMs = performance.now() - connectStart;
const stateAfterConnect = (await fetch(`${base}/v1/videos/${id}`, { headers: auth }).then((r) => r.json())).status;

await Promise.race([
  Promise.all(sockets.map((s) => new Promise((resolve) => s.on('close', resolve)))),
  new Promise((resolve) => setTimeout(resolve, 120_000).unref()),
]);
sockets.forEach((s) => s.terminate());

delays.sort((a, b) => a - b);
const pct = (p) => delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))];
const previewCounts = perWatcher.map((w) => w.previews);
console.log(JSON.stringify({
  video: id,
  watchers,
  steps,
  connect_all_ms: Math.round(connectMs),
  status_when_all_connected: stateAfterConnect,
  preview_bytes: previewBytes,
  finished_watchers: perWatcher.filter((w) => w.done).length,
  previews_per_watcher: { min: Math.min(...previewCounts), max: Math.max(...previewCounts) },
  preview_deliveries: delays.length,
  delivery_delay_ms: { p50: pct(50), p99: pct(99), max: delays[delays.length - 1] },
}));
