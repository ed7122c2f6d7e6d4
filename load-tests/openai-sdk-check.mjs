// Drives the gateway with the official `openai` npm package, unchanged: create (multipart with an
// input_reference file), retrieve until completed, list with auto-pagination, download, delete, and a 404 after.
// Usage: MOVA_BASE_URL=http://127.0.0.1:PORT MOVA_API_KEY=... node openai-sdk-check.mjs
// Prints one JSON line with what it saw; exits non-zero on the first mismatch.
import OpenAI, { toFile, NotFoundError } from 'openai';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

const baseURL = `${process.env.MOVA_BASE_URL ?? 'http://127.0.0.1:8080'}/v1`;
const client = new OpenAI({ baseURL, apiKey: process.env.MOVA_API_KEY ?? 'mova-dev-key', maxRetries: 0 });

// A 1x1 PNG as the reference image.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const created = await client.videos.create({
  prompt: 'a paper boat drifts down a rainy street',
  model: 'mova-tiny',
  seconds: '1',
  size: '64x48',
  input_reference: await toFile(png, 'reference.png', { type: 'image/png' }),
});
assert.equal(created.object, 'video');
assert.match(created.id, /^video_/);
assert.equal(created.model, 'mova-tiny');
assert.equal(created.size, '64x48');
assert.equal(created.seconds, '1');

let video = created;
const deadline = Date.now() + 60_000;
while (video.status === 'queued' || video.status === 'in_progress') {
  assert.ok(Date.now() < deadline, `video still ${video.status}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  video = await client.videos.retrieve(created.id);
}
assert.equal(video.status, 'completed');
assert.equal(video.progress, 100);

const second = await client.videos.create({ prompt: 'a second clip', model: 'mova-tiny', seconds: '1', size: '64x48' });
const listed = [];
for await (const item of client.videos.list({ limit: 1, order: 'asc' })) {
  listed.push(item.id);
}
assert.deepEqual(listed.slice(-2), [created.id, second.id]);

const response = await client.videos.downloadContent(created.id);
const bytes = Buffer.from(await response.arrayBuffer());
assert.ok(bytes.length > 0);

const deleted = await client.videos.delete(created.id);
assert.deepEqual({ id: deleted.id, deleted: deleted.deleted, object: deleted.object }, { id: created.id, deleted: true, object: 'video.deleted' });

let notFound = null;
try {
  await client.videos.retrieve(created.id);
} catch (error) {
  notFound = error;
}
assert.ok(notFound instanceof NotFoundError, 'retrieving a deleted video must be a NotFoundError');
assert.equal(notFound.code, 'video_not_found');

console.log(JSON.stringify({
  created: created.id,
  status: video.status,
  listed: listed.length,
  downloaded_bytes: bytes.length,
  downloaded_sha256: createHash('sha256').update(bytes).digest('hex'),
  deleted: deleted.deleted,
  not_found_code: notFound.code,
}));
