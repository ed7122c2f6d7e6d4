"""PyTorch-eager timing of the same MOVA denoising step as load-tests/MovaCluster.Model.Benchmarks "bench":
video DiT width 512 (4 heads of 128, FFN 1382, 8 layers) over a 13x12x14 token grid, audio DiT width 256 (2 heads,
FFN 1493, 8 layers) over 98 tokens, a full bridge with aligned rotate-half RoPE, 512 text rows, CFG (two passes per
step), float32, random weights, the same op structure (float64 adjacent-pair RoPE, RMSNorm over the full width,
scaled_dot_product_attention, tanh GELU, modulation). Written for this comparison; it is not the official code.

Usage: python3 bench_step.py [steps] [threads] [device] [dtype]
  device cpu (default) or cuda; dtype float32 (default) or bfloat16 (weights and activations; the RoPE tables stay
  float64/float32 as in the model). On cuda each step is timed after torch.cuda.synchronize().
"""
import math, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 4
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
device = torch.device(sys.argv[3] if len(sys.argv) > 3 else "cpu")
dtype = getattr(torch, sys.argv[4] if len(sys.argv) > 4 else "float32")
torch.manual_seed(0)


def sync():
    if device.type == "cuda":
        torch.cuda.synchronize(device)

HD = 128


def rms(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w


def rope_pairs(x, table):  # x [B, L, H, 128]; table complex128 [L, 64]
    shape = x.shape
    c = torch.view_as_complex(x.double().reshape(*shape[:-1], -1, 2))
    return torch.view_as_real(c * table[None, :, None, :]).reshape(shape).to(x.dtype)


def rope_half(x, cos, sin):
    a, b = x[..., :64], x[..., 64:]
    return x * cos.to(x.dtype) + torch.cat([-b, a], -1) * sin.to(x.dtype)


def attend(q, k, v, heads):
    B, L, D = q.shape
    q, k, v = (t.view(B, -1, heads, D // heads).transpose(1, 2) for t in (q, k, v))
    if hasattr(F, "scaled_dot_product_attention"):
        out = F.scaled_dot_product_attention(q, k, v)
    else:  # torch 1.x (Debian 12's python3-torch) has no fused attention
        out = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), -1) @ v
    return out.transpose(1, 2).reshape(B, L, D)


class Attn(nn.Module):
    def __init__(s, d, kv=None):
        super().__init__()
        kv = kv or d
        s.q, s.k, s.v, s.o = nn.Linear(d, d), nn.Linear(kv, d), nn.Linear(kv, d), nn.Linear(d, d)
        s.nq, s.nk = nn.Parameter(torch.ones(d)), nn.Parameter(torch.ones(d))


class Block(nn.Module):
    def __init__(s, d, f):
        super().__init__()
        s.d, s.h = d, d // HD
        s.sa, s.ca = Attn(d), Attn(d)
        s.n3 = nn.LayerNorm(d)
        s.f1, s.f2 = nn.Linear(d, f), nn.Linear(f, d)
        s.mod = nn.Parameter(torch.randn(1, 6, d) / d ** 0.5)

    def forward(s, x, ctx, tmod, table):
        sh1, sc1, g1, sh2, sc2, g2 = (s.mod + tmod).chunk(6, 1)
        h = F.layer_norm(x, (s.d,)) * (1 + sc1) + sh1
        q, k, v = rms(s.sa.q(h), s.sa.nq), rms(s.sa.k(h), s.sa.nk), s.sa.v(h)
        B, L, _ = q.shape
        q = rope_pairs(q.view(B, L, s.h, HD), table).view(B, L, -1)
        k = rope_pairs(k.view(B, L, s.h, HD), table).view(B, L, -1)
        x = x + g1 * s.sa.o(attend(q, k, v, s.h))
        c = s.n3(x)
        x = x + s.ca.o(attend(rms(s.ca.q(c), s.ca.nq), rms(s.ca.k(ctx), s.ca.nk), s.ca.v(ctx), s.h))
        h = F.layer_norm(x, (s.d,)) * (1 + sc2) + sh2
        return x + g2 * s.f2(F.gelu(s.f1(h), approximate="tanh"))


class Conditioner(nn.Module):
    def __init__(s, d, kv):
        super().__init__()
        s.y = nn.LayerNorm(kv)
        s.a = Attn(d, kv)
        s.h = d // HD

    def forward(s, x, y, xr, yr):
        y = s.y(y)
        q, k, v = rms(s.a.q(x), s.a.nq), rms(s.a.k(y), s.a.nk), s.a.v(y)
        B, L, _ = q.shape
        q = rope_half(q.view(B, L, s.h, HD), *xr).view(B, L, -1)
        k = rope_half(k.view(B, -1, s.h, HD), *yr).view(B, k.shape[1], -1)
        return s.a.o(attend(q, k, v, s.h))


def pair_table(positions, dim):
    inv = 10000.0 ** (-torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    return torch.polar(torch.ones(len(positions), dim // 2, dtype=torch.float64), positions[:, None].double() * inv)


def grid_table(t, h, w):
    dh = HD // 3 // 2 * 2
    dt = HD - 2 * dh
    ft, fh, fw = (pair_table(torch.arange(n), d) for n, d in ((t, dt), (h, dh), (w, dh)))
    return torch.cat([ft[:, None, None].expand(t, h, w, -1), fh[None, :, None].expand(t, h, w, -1),
                      fw[None, None].expand(t, h, w, -1)], -1).reshape(t * h * w, -1)


def half_table(positions):
    inv = 10000.0 ** (-torch.arange(0, HD, 2, dtype=torch.float32) / HD)
    ang = positions[:, None].float() * inv
    emb = torch.cat([ang, ang], -1)
    return emb.cos()[None, :, None], emb.sin()[None, :, None]


T, H, W, LA, LC, DV, DA = 13, 12, 14, 98, 512, 512, 256
video = nn.ModuleList(Block(DV, 1382) for _ in range(8))
audio = nn.ModuleList(Block(DA, 1493) for _ in range(8))
a2v = nn.ModuleList(Conditioner(DV, DA) for _ in range(8))
v2a = nn.ModuleList(Conditioner(DA, DV) for _ in range(8))
patch = nn.Conv3d(36, DV, (1, 2, 2), (1, 2, 2))
apatch = nn.Conv1d(128, DA, 1)
vtext, atext = nn.Linear(512, DV), nn.Linear(512, DA)
vhead, ahead = nn.Linear(DV, 64), nn.Linear(DA, 128)
vtime, atime = nn.Linear(256, 6 * DV), nn.Linear(256, 6 * DA)

vt = grid_table(T, H, W)
at = pair_table(torch.arange(LA), HD)
vr = half_table(torch.arange(T).repeat_interleave(H * W) * 50.0 / 6.0)
ar = half_table(torch.arange(LA).float())


for module in (video, audio, a2v, v2a, patch, apatch, vtext, atext, vhead, ahead, vtime, atime):
    module.to(device=device, dtype=dtype)
vt, at = vt.to(device), at.to(device)
vr, ar = tuple(t.to(device) for t in vr), tuple(t.to(device) for t in ar)


def forward(x36, a, ctx, t):
    e = torch.cat([torch.cos(t * torch.arange(128, device=device)), torch.sin(t * torch.arange(128, device=device))])[None].to(dtype)
    tv, ta = vtime(F.silu(e)).view(1, 6, DV), atime(F.silu(e)).view(1, 6, DA)
    cv, ca = vtext(ctx), atext(ctx)
    v = patch(x36).flatten(2).transpose(1, 2)
    s = apatch(a).transpose(1, 2)
    for i in range(8):
        v, s = v + a2v[i](v, s, vr, ar), s + v2a[i](s, v, ar, vr)
        v, s = video[i](v, cv, tv, vt), audio[i](s, ca, ta, at)
    return vhead(v), ahead(s)


lat = torch.randn(1, 36, T, 2 * H, 2 * W).to(device, dtype)
aud = torch.randn(1, 128, LA).to(device, dtype)
pos, neg = torch.randn(1, LC, 512).to(device, dtype), torch.randn(1, LC, 512).to(device, dtype)
times = []
with torch.no_grad():
    for step in range(steps + 1):
        sync()
        start = time.perf_counter()
        vp, ap = forward(lat, aud, pos, 900.0)
        vn, an = forward(lat, aud, neg, 900.0)
        aud = aud + 0.01 * (an + 5 * (ap - an)).transpose(1, 2)
        sync()
        if step:
            times.append((time.perf_counter() - start) * 1000)
print(f"torch {torch.__version__}, {device} {str(dtype).replace('torch.', '')}, threads {torch.get_num_threads()}: bench step median "
      f"{statistics.median(times):.2f} ms (min {min(times):.2f}, max {max(times):.2f}) over {len(times)} steps")
