#!/usr/bin/python3
"""Writes a MOVA golden set in the mova-goldens/1 format (shared/goldens/README.md) by running the official
OpenMOSS/MOVA code (official_harness.py imports it unchanged) on a tiny configuration with seeded random float32
weights, or checks the harness by re-running the cases of an existing set with that set's own weights and inputs.

Needs only Debian 12 packages: python3-torch (1.13) and python3-numpy.

  git -C <MOVA mirror> archive HEAD mova | tar -x -C /tmp/mova-src
  make_mova_set.py --mova-src /tmp/mova-src --out /tmp/mova-variant [--config shapes.json]
  make_mova_set.py --mova-src /tmp/mova-src --check ../shared/goldens/mova-tiny
  MOVA_GOLDENS=/tmp/mova-variant dotnet test tests/MovaCluster.Model.Tests

The default configuration differs from mova-tiny in every size the tests read: layer counts (video 4, audio 3),
widths (48/24, text 24), head dims (24), eps, DAC rates and sample rate, the scheduler shift, the boundary ratio,
bridge first-frame bias, case names and counts.
"""
import argparse
import copy
import hashlib
import json
import math
import os
import struct
import sys

import numpy as np
import torch

import official_harness

DTYPES = {torch.float32: ("F32", np.float32), torch.float64: ("F64", np.float64), torch.int64: ("I64", np.int64)}
NUMPY = {"F32": np.float32, "F64": np.float64, "I64": np.int64}

DEFAULT = {
    "seed": 20261207,
    "video_dit": {"dim": 48, "in_dim": 36, "ffn_dim": 96, "out_dim": 16, "text_dim": 24, "freq_dim": 32, "eps": 1e-5,
                  "patch_size": [1, 2, 2], "num_heads": 2, "num_layers": 4},
    "audio_dit": {"dim": 24, "in_dim": 6, "ffn_dim": 48, "out_dim": 6, "text_dim": 24, "freq_dim": 32, "eps": 1e-5,
                  "patch_size": [1], "num_heads": 1, "num_layers": 3, "vae_type": "dac"},
    "dual_tower_bridge": {"visual_layers": 4, "audio_layers": 3, "visual_hidden_dim": 48, "audio_hidden_dim": 24,
                          "audio_fps": 50.0, "head_dim": 24, "interaction_strategy": "full", "apply_cross_rope": True,
                          "apply_first_frame_bias_in_rope": True},
    "audio_vae": {"encoder_dim": 2, "encoder_rates": [2, 5], "latent_dim": 6, "decoder_dim": 12, "decoder_rates": [5, 2],
                  "sample_rate": 500, "continuous": True, "use_weight_norm": True},
    "scheduler": {"num_inference_steps": 50, "num_train_timesteps": 1000, "shift": 3.0, "sigma_max": 1.0,
                  "sigma_min": 0.003 / 1.002, "inverse_timesteps": False, "extra_one_step": True, "reverse_sigmas": False,
                  "exponential_shift": False, "exponential_shift_mu": None, "shift_terminal": None},
    "boundary_ratio": 0.85,
    "geometry": {"num_frames": 5, "height": 32, "width": 48, "video_fps": 20.0},
    "names": {"blocks": ["blk_video_hi_last", "blk_audio_1", "blk_video_lo_0"], "bridge": "bridge_l2",
              "steps": ["step_hi", "step_lo"], "loops": ["loop_guided", "loop_plain"], "scheduler": "sched",
              "rope": "tables", "dac": "dac"},
}
# Constructor arguments the official configs carry besides the sizes (as in mova-tiny and the released checkpoints).
TOWER_FLAGS = {"has_image_input": False, "has_image_pos_emb": False, "has_ref_conv": False, "add_control_adapter": False,
               "in_dim_control_adapter": 24, "seperated_timestep": False, "require_vae_embedding": True,
               "require_clip_embedding": False, "fuse_vae_embedding_in_latents": False}
EXTRA = {"video_dit": TOWER_FLAGS, "audio_dit": TOWER_FLAGS,
         "dual_tower_bridge": {"trainable_condition_scale": False, "pooled_adaln": False},
         "audio_vae": {"n_codebooks": 9, "codebook_size": 1024, "codebook_dim": 8, "quantizer_dropout": False}}
CLASSES = {
    "video_dit": ("WanModel", "mova.diffusion.models.wan_video_dit.WanModel"),
    "video_dit_2": ("WanModel", "mova.diffusion.models.wan_video_dit.WanModel"),
    "audio_dit": ("WanAudioModel", "mova.diffusion.models.wan_audio_dit.WanAudioModel"),
    "dual_tower_bridge": ("DualTowerConditionalBridge", "mova.diffusion.models.interactionv2.DualTowerConditionalBridge"),
    "audio_vae": ("DAC", "mova.diffusion.models.dac_vae.DAC"),
}
LATENTS_MEAN = [-0.7571, -0.7089, -0.9113, 0.1075, -0.1745, 0.9653, -0.1517, 1.5508, 0.4134, -0.0715, 0.5517, -0.3632,
                -0.1922, -0.9497, 0.2503, -0.2921]
LATENTS_STD = [2.8184, 1.4541, 2.3275, 2.6558, 1.2196, 1.7708, 2.6052, 2.0743, 3.2687, 2.1526, 2.8652, 1.5579, 1.6382,
               1.1253, 2.8251, 1.916]


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        tensor = tensors[name].detach().contiguous().cpu()
        code, np_type = DTYPES[tensor.dtype]
        blob = tensor.numpy().astype(np_type, copy=False).tobytes()
        header[name] = {"dtype": code, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=NUMPY[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(array.copy())
    return out


def build(official, configs):
    m = official
    builders = {
        "video_dit": lambda: m.wan_video_dit.WanModel(**configs["video_dit"]),
        "video_dit_2": lambda: m.wan_video_dit.WanModel(**configs["video_dit"]),
        "audio_dit": lambda: m.wan_audio_dit.WanAudioModel(**configs["audio_dit"]),
        "dual_tower_bridge": lambda: m.interactionv2.DualTowerConditionalBridge(**configs["dual_tower_bridge"]),
        "audio_vae": lambda: m.dac_vae.DAC(**configs["audio_vae"]),
    }
    models = {}
    for name, builder in builders.items():
        models[name] = builder()
        models[name].goldens_builder = builder
    return models


def randomize(module, generator, dac=False):
    """Seeded weights in the ranges the tiny set uses: fan-in scaled matrices, norms near 1, small biases and
    modulation; DAC weight-norm magnitudes near 0.5 so its tanh stays out of saturation."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            n = torch.randn(p.shape, generator=generator, dtype=torch.float64)
            leaf = name.rsplit(".", 1)[-1]
            if leaf == "weight_g":
                value = 0.5 * (1 + 0.1 * n).abs()
            elif leaf == "alpha":
                value = 1 + 0.1 * n
            elif "modulation" in name:
                value = 0.1 * n
            elif leaf == "bias":
                value = 0.05 * n
            elif p.dim() == 1:
                value = 1 + 0.1 * n
            else:
                fan_in = p[0].numel() if not dac or "ConvTranspose" not in name else p.shape[0] * p[0, 0].numel()
                value = n / math.sqrt(max(fan_in, 1))
            p.copy_(value.to(p.dtype))


def to_f64(module):
    """A float64 copy that casts floating inputs of every parameterised layer to float64 (the goldens' reference)."""
    copy64 = module.goldens_builder()
    copy64.load_state_dict(module.state_dict())
    copy64 = copy64.double().eval()

    def cast(_, inputs):
        return tuple(t.double() if torch.is_tensor(t) and t.is_floating_point() and t.dtype != torch.float64 else t for t in inputs)

    for sub in copy64.modules():
        if any(True for _ in sub.parameters(recurse=False)):
            sub.register_forward_pre_hook(cast)
    return copy64


class FakeVideoVae:
    """The video VAE the loop cases drive the official pipeline with: encode returns the given raw latent, decode returns its input."""

    def __init__(self, raw_latent):
        self.config = official_harness.FrozenDict(scale_factor_spatial=8, scale_factor_temporal=4, z_dim=16,
                                                   latents_mean=LATENTS_MEAN, latents_std=LATENTS_STD)
        self.dtype = torch.float32
        self.raw_latent = raw_latent
        self.decoded = None

    def encode(self, video):
        latent = self.raw_latent
        dist = type("Dist", (), {"mode": lambda self: latent})()
        return type("Out", (), {"latent_dist": dist})()

    def decode(self, z):
        self.decoded = z
        return type("Out", (), {"sample": z})()


class FakeText:
    """Tokenizer and UMT5 stand-ins: prompt i has the given length; the encoder returns the given raw outputs."""

    def __init__(self, outputs, lengths):
        self.outputs, self.lengths, self.dtype = outputs, lengths, torch.float32

    def tokenizer(self, prompts, max_length=512, **_):
        mask = torch.zeros(len(prompts), max_length, dtype=torch.int64)
        for i, prompt in enumerate(prompts):
            mask[i, : self.lengths[prompt]] = 1
        return type("Tokens", (), {"input_ids": mask.clone(), "attention_mask": mask})()

    def encoder(self, ids, mask):
        key = int(mask.sum())
        return type("Out", (), {"last_hidden_state": self.outputs[key]})()


def pipeline(official, models, scheduler_config, boundary_ratio, vae, text, f64=False):
    m = models if not f64 else {k: (to_f64(v) if k != "audio_vae" else v) for k, v in models.items()}
    scheduler = official.flow_match_pair.FlowMatchPairScheduler(**scheduler_config)
    text_encoder = type("TextEncoder", (), {"__call__": lambda self, ids, mask: text.encoder(ids, mask), "dtype": torch.float32})()
    tokenizer = type("Tokenizer", (), {"__call__": lambda self, prompts, **kw: text.tokenizer(prompts, **kw)})()
    return official.pipeline_mova.MOVA(
        video_vae=vae, audio_vae=m["audio_vae"], text_encoder=text_encoder, tokenizer=tokenizer, scheduler=scheduler,
        video_dit=m["video_dit"], video_dit_2=m["video_dit_2"], audio_dit=m["audio_dit"], dual_tower_bridge=m["dual_tower_bridge"],
        audio_vae_type="dac", boundary_ratio=boundary_ratio)


def grid_freqs(video_dit, t, h, w):
    f = video_dit.freqs
    return torch.cat([
        f[0][:t].view(t, 1, 1, -1).expand(t, h, w, -1),
        f[1][:h].view(1, h, 1, -1).expand(t, h, w, -1),
        f[2][:w].view(1, 1, w, -1).expand(t, h, w, -1)], dim=-1).reshape(t * h * w, 1, -1)


def audio_freqs(audio_dit, n):
    return torch.cat([audio_dit.freqs[i][:n].view(n, -1).expand(n, -1) for i in range(3)], dim=-1).reshape(n, 1, -1)


def complex_pair(name, table):
    return {name + ".real": table.real.contiguous(), name + ".imag": table.imag.contiguous()}


def rel(a, b):
    a, b = a.double(), b.double()
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-300))


def err_stats(f32, f64):
    d = (f32.double() - f64.double()).abs()
    ref = f64.double().abs().max()
    return {"max_abs": float(d.max()), "max_abs_over_max_ref": float(d.max() / ref),
            "rms_rel": float(d.pow(2).mean().sqrt() / f64.double().pow(2).mean().sqrt()), "max_abs_ref": float(ref)}


# ---- cases -------------------------------------------------------------------------------------------------------

def block_case(models, models64, component, index, inputs):
    tower = models[component]
    block = tower.blocks[index]
    freqs = torch.complex(inputs["input.freqs.real"], inputs["input.freqs.imag"])
    args = (inputs["input.x"], inputs["input.context"], inputs["input.t_mod"], freqs)
    with torch.no_grad():
        out = block(*args)
        ref = models64[component].blocks[index](*args)
    return {"output.x": out, "reference_f64.output.x": ref}


def bridge_case(models, models64, layer, grid, inputs):
    rope = ((inputs["input.visual_rope_cos"], inputs["input.visual_rope_sin"]), (inputs["input.audio_rope_cos"], inputs["input.audio_rope_sin"]))
    out = {}
    with torch.no_grad():
        for prefix, bridge in (("", models["dual_tower_bridge"]), ("reference_f64.", models64["dual_tower_bridge"])):
            v, a = bridge(layer, inputs["input.visual"], inputs["input.audio"], x_freqs=rope[0], y_freqs=rope[1],
                          condition_scale=1.0, video_grid_size=tuple(grid))
            out[prefix + "output.visual"], out[prefix + "output.audio"] = v, a
            if not prefix:
                v, a = bridge(layer, inputs["input.visual"], inputs["input.audio"], x_freqs=rope[0], y_freqs=rope[1],
                              a2v_condition_scale=0.5, v2a_condition_scale=2.0, condition_scale=1.0, video_grid_size=tuple(grid))
                out["output.visual_scaled"], out["output.audio_scaled"] = v, a
    return out


def single_step_case(pipe, pipe64, expert, inputs, fps):
    captured = {}
    dit = getattr(pipe, expert)
    audio = pipe.audio_dit
    hooks = []

    def keep(name, transform=lambda t: t):
        def hook(_, __, output):
            captured[name] = transform(output).detach().clone()
        return hook

    hooks.append(dit.time_embedding.register_forward_hook(keep("intermediate.visual_t")))
    hooks.append(dit.time_projection.register_forward_hook(keep("intermediate.visual_t_mod", lambda t: t.unflatten(1, (6, dit.dim)))))
    hooks.append(audio.time_embedding.register_forward_hook(keep("intermediate.audio_t")))
    hooks.append(audio.time_projection.register_forward_hook(keep("intermediate.audio_t_mod", lambda t: t.unflatten(1, (6, audio.dim)))))
    hooks.append(dit.text_embedding.register_forward_hook(keep("intermediate.visual_context_emb")))
    hooks.append(audio.text_embedding.register_forward_hook(keep("intermediate.audio_context_emb")))
    for i, block in enumerate(dit.blocks):
        hooks.append(block.register_forward_hook(keep(f"intermediate.visual_block{i}_out")))
    for i, block in enumerate(audio.blocks):
        hooks.append(block.register_forward_hook(keep(f"intermediate.audio_block{i}_out")))

    def first_block_freqs(name):
        def hook(_, args):
            captured.update(complex_pair(name, args[3].detach().clone()))
        return hook

    hooks.append(dit.blocks[0].register_forward_pre_hook(first_block_freqs("intermediate.visual_freqs")))
    hooks.append(audio.blocks[0].register_forward_pre_hook(first_block_freqs("intermediate.audio_freqs")))
    patchify_v, patchify_a, aligned = dit.patchify, audio.patchify, pipe.dual_tower_bridge.build_aligned_freqs

    def wrap_patchify(fn, name):
        def wrapped(*args, **kwargs):
            out = fn(*args, **kwargs)
            captured[name] = out[0].detach().clone()
            return out
        return wrapped

    def wrap_aligned(*args, **kwargs):
        (vc, vs), (ac, as_) = aligned(*args, **kwargs)
        captured.update({"intermediate.bridge_visual_rope_cos": vc, "intermediate.bridge_visual_rope_sin": vs,
                         "intermediate.bridge_audio_rope_cos": ac, "intermediate.bridge_audio_rope_sin": as_})
        return (vc, vs), (ac, as_)

    dit.patchify = wrap_patchify(patchify_v, "intermediate.visual_tokens")
    audio.patchify = wrap_patchify(patchify_a, "intermediate.audio_tokens")
    pipe.dual_tower_bridge.build_aligned_freqs = wrap_aligned
    args = dict(visual_latents=inputs["input.visual_latents"], audio_latents=inputs["input.audio_latents"], context=inputs["input.context"],
                timestep=inputs["input.timestep"], audio_timestep=inputs["input.audio_timestep"], video_fps=fps, cp_mesh=None)
    try:
        with torch.no_grad():
            visual, audio_out = pipe.inference_single_step(visual_dit=dit, **args)
    finally:
        for hook in hooks:
            hook.remove()
        del dit.patchify, audio.patchify, pipe.dual_tower_bridge.build_aligned_freqs
    with torch.no_grad():
        visual64, audio64 = pipe64.inference_single_step(visual_dit=getattr(pipe64, expert), **args)
    captured.update({"output.visual": visual, "output.audio": audio_out, "reference_f64.output.visual": visual64, "reference_f64.output.audio": audio64})
    return captured


def loop_case(official, models, scheduler_config, boundary_ratio, inputs, geometry, steps, cfg, lengths):
    out = {}
    for prefix, f64 in (("", False), ("reference_f64.", True)):
        vae = FakeVideoVae(inputs["input.video_vae_latent_raw"])
        text = FakeText({lengths["positive"]: inputs["input.text_encoder_out_positive"], lengths["negative"]: inputs["input.text_encoder_out_negative"]},
                        {"positive prompt": lengths["positive"], "negative prompt": lengths["negative"]})
        pipe = pipeline(official, models, scheduler_config, boundary_ratio, vae, text, f64=f64)
        record = {"calls": [], "steps": [], "embeds": [], "condition": None, "latents": None}
        single, step_from_to, embeds, prepare = pipe.inference_single_step, pipe.scheduler.step_from_to, pipe._get_t5_prompt_embeds, pipe.prepare_latents

        def single_wrapped(visual_dit, **kwargs):
            result = single(visual_dit=visual_dit, **kwargs)
            record["calls"].append((0 if visual_dit is pipe.video_dit else 1, float(kwargs["timestep"]), [r.float().clone() for r in result]))
            return result

        def step_wrapped(model_output, t_from, t_to, sample):
            result = step_from_to(model_output, t_from, t_to, sample)
            sigma_from = pipe.scheduler.timestep_to_sigma(t_from)
            sigma_to = torch.tensor(0.0) if t_to is None else pipe.scheduler.timestep_to_sigma(t_to)
            record["steps"].append((model_output.clone(), result.clone(), float(sigma_from), float(sigma_to)))
            return result

        def embeds_wrapped(prompt, *args, **kwargs):
            result = embeds(prompt, *args, **kwargs)
            record["embeds"].append(result.clone())
            return result

        def prepare_wrapped(*args, **kwargs):
            latents, condition = prepare(*args, **kwargs)
            record["condition"] = condition.clone()
            return latents, condition

        pipe.inference_single_step, pipe.scheduler.step_from_to, pipe._get_t5_prompt_embeds, pipe.prepare_latents = single_wrapped, step_wrapped, embeds_wrapped, prepare_wrapped
        denormalize = pipe.denormalize_video_latents

        def denormalize_wrapped(latents):
            record["latents"] = latents.clone()
            return denormalize(latents)

        pipe.denormalize_video_latents = denormalize_wrapped
        official_harness.RANDN_QUEUE[:] = [inputs["input.video_noise"].clone(), inputs["input.audio_noise"].clone()]
        image = torch.zeros(1, 3, geometry["height"], geometry["width"])
        video, audio = pipe("positive prompt", image, negative_prompt="negative prompt", height=geometry["height"], width=geometry["width"],
                            num_frames=geometry["num_frames"], video_fps=geometry["video_fps"], num_inference_steps=steps, cfg_scale=cfg)
        passes = 1 if cfg == 1.0 else 2
        for k in range(steps):
            calls = record["calls"][k * passes:(k + 1) * passes]
            (v_cfg, v_out, s_from, s_to), (a_cfg, a_out, _, _) = record["steps"][2 * k], record["steps"][2 * k + 1]
            out[f"{prefix}step{k}.video_latents_out"], out[f"{prefix}step{k}.audio_latents_out"] = v_out, a_out
            if not f64:
                out[f"step{k}.video_v_pos"], out[f"step{k}.audio_v_pos"] = calls[0][2]
                if passes == 2:
                    out[f"step{k}.video_v_neg"], out[f"step{k}.audio_v_neg"] = calls[1][2]
                out[f"step{k}.video_v_cfg"], out[f"step{k}.audio_v_cfg"] = v_cfg, a_cfg
        out[prefix + "output.video_latents"] = record["latents"]
        out[prefix + "output.audio_latents"] = record["steps"][-1][1]
        if not f64:
            out["output.video_latents_denorm"] = vae.decoded
            out["output.audio_waveform"] = audio
            out["intermediate.condition"] = record["condition"]
            out["input.prompt_embeds"], out["input.negative_prompt_embeds"] = record["embeds"][0], record["embeds"][-1]
            out["loop.expert_index"] = torch.tensor([c[0] for c in record["calls"][::passes]], dtype=torch.int64)
            out["loop.timesteps"] = torch.tensor([c[1] for c in record["calls"][::passes]], dtype=torch.float32)
            out["loop.sigmas_from_to"] = torch.tensor([[s[2], s[3]] for s in record["steps"][::2]], dtype=torch.float32)
    return out


def scheduler_case(official, combos, generator):
    out, params = {}, []
    grids = set()
    for i, (steps, config) in enumerate(combos):
        name = f"c{i}"
        s = official.flow_match_pair.FlowMatchPairScheduler(**config)
        s.set_timesteps(steps)
        pairs, sigmas = s.get_pairs(), s.get_pairs("sigmas")
        sample = torch.randn(1, 4, 3, generator=generator)
        velocity = torch.randn(1, 4, 3, generator=generator)
        stepped = []
        for k in range(steps):
            t_to = pairs[k + 1, 0] if k + 1 < steps else None
            stepped.append(s.step_from_to(velocity, pairs[k, 0], t_to, sample))
        out.update({f"{name}.pair_timesteps": pairs, f"{name}.pair_sigmas": sigmas,
                    f"{name}.snapped_sigmas": torch.stack([s.timestep_to_sigma(pairs[k, 0]) for k in range(steps)]),
                    f"{name}.step_from_to": torch.stack(stepped), f"{name}.step_input.sample": sample, f"{name}.step_input.model_output": velocity})
        grid = json.dumps(config, sort_keys=True)
        if grid not in grids:
            grids.add(grid)
            out[f"{name}.train_timesteps"], out[f"{name}.train_sigmas"] = s.train_timesteps, s.train_sigmas
        params.append({"name": name, "num_inference_steps": steps, "scheduler_config": config, "divides_1000": 1000 % steps == 0,
                       "switch_step_at_boundary": None})
    return out, params


def switch_step(official, config, steps, boundary_ratio):
    s = official.flow_match_pair.FlowMatchPairScheduler(**config)
    s.set_timesteps(steps)
    pairs = s.get_pairs()
    boundary = boundary_ratio * s.config.num_train_timesteps
    return next((k for k in range(steps) if pairs[k, 0].item() < boundary), steps)


def rope_case(official, models, configs, grid, ta, fps):
    out, params = {}, {}
    video, audio, bridge = models["video_dit"], models["audio_dit"], models["dual_tower_bridge"]
    vh, ah = configs["video_dit"]["dim"] // configs["video_dit"]["num_heads"], configs["audio_dit"]["dim"] // configs["audio_dit"]["num_heads"]
    out.update(complex_pair("video_self_attn.freqs", grid_freqs(video, *grid)))
    params["video_self_attn"] = {"head_dim": vh, "grid": list(grid)}
    out.update(complex_pair("audio_self_attn.freqs", audio_freqs(audio, ta)))
    params["audio_self_attn"] = {"head_dim": ah, "length": ta}
    bc = configs["dual_tower_bridge"]

    def bridge_tables(name, module, vfps, g, steps):
        (vc, vs), (ac, as_) = module.build_aligned_freqs(video_fps=vfps, grid_size=tuple(g), audio_steps=steps, device=torch.device("cpu"), dtype=torch.float32)
        out.update({f"{name}.visual_cos": vc, f"{name}.visual_sin": vs, f"{name}.audio_cos": ac, f"{name}.audio_sin": as_})

    bridge_tables("bridge", bridge, fps, grid, ta)
    params["bridge"] = {"video_fps": fps, "grid": list(grid), "Ta": ta, "audio_fps": bc["audio_fps"], "head_dim": bc["head_dim"],
                        "apply_first_frame_bias_in_rope": bc["apply_first_frame_bias_in_rope"]}
    other = official.interactionv2.DualTowerConditionalBridge(**dict(bc, apply_first_frame_bias_in_rope=not bc["apply_first_frame_bias_in_rope"]))
    bridge_tables("bridge_other_bias", other, fps, grid, ta)
    params["bridge_other_bias"] = dict(params["bridge"], apply_first_frame_bias_in_rope=not bc["apply_first_frame_bias_in_rope"])
    bridge_tables("bridge_fps2", bridge, 30.0, grid, ta + 3)
    params["bridge_fps2"] = dict(params["bridge"], video_fps=30.0, Ta=ta + 3)
    # Checkpoint sizes: head_dim 128, 193 frames at 24 fps (49 latent frames), 403 audio steps at 50 fps.
    big = official.interactionv2.DualTowerConditionalBridge(visual_layers=1, audio_layers=1, visual_hidden_dim=128, audio_hidden_dim=128,
                                                            audio_fps=50.0, head_dim=128, interaction_strategy="full", apply_cross_rope=True)
    big_video = official.wan_video_dit.precompute_freqs_cis_3d(128)
    ckpt_grid = (49, 2, 3)
    t, h, w = ckpt_grid
    out.update(complex_pair("ckpt_dims.video_self_attn.freqs", torch.cat([
        big_video[0][:t].view(t, 1, 1, -1).expand(t, h, w, -1), big_video[1][:h].view(1, h, 1, -1).expand(t, h, w, -1),
        big_video[2][:w].view(1, 1, w, -1).expand(t, h, w, -1)], dim=-1).reshape(t * h * w, 1, -1)))
    big_audio = type("AudioTables", (), {"freqs": official.wan_audio_dit.precompute_freqs_cis_1d(128)})()
    out.update(complex_pair("ckpt_dims.audio_self_attn.freqs", audio_freqs(big_audio, 403)))
    bridge_tables("ckpt_dims.bridge", big, 24.0, ckpt_grid, 403)
    params["ckpt_dims"] = {"head_dim": 128, "video_fps": 24.0, "grid": list(ckpt_grid), "Ta": 403, "audio_fps": 50.0}
    timesteps = torch.tensor([0.0, 1.0, 417.25, 850.5, 999.0], dtype=torch.float32)
    out["sinusoid.timesteps"] = timesteps
    for dim in (configs["video_dit"]["freq_dim"], 256):
        out[f"sinusoid.dim{dim}"] = official.wan_video_dit.sinusoidal_embedding_1d(dim, timesteps)
    return out, params


def dac_case(models, models64, inputs):
    dac = models["audio_vae"]
    captured = {}
    hooks = [dac.post_quant_conv.register_forward_hook(lambda _, __, o: captured.__setitem__("intermediate.post_quant_conv", o.detach().clone()))]
    for i, layer in enumerate(dac.decoder.model):
        hooks.append(layer.register_forward_hook(lambda _, __, o, i=i: captured.__setitem__(f"intermediate.decoder.model.{i}", o.detach().clone())))
    with torch.no_grad():
        audio = dac.decode(inputs["input.z"])
        ref = models64["audio_vae"].decode(inputs["input.z"].double())
    for hook in hooks:
        hook.remove()
    captured.update({"output.audio": audio, "reference_f64.output.audio": ref,
                     # weight_norm recomputes .weight = g * v / ||v|| before every forward: after decode it is the effective weight.
                     "folded.decoder.model.0.weight": dac.decoder.model[0].weight.detach().clone(),
                     "folded.decoder.model.1.block.1.weight": dac.decoder.model[1].block[1].weight.detach().clone()})
    return captured


# ---- check mode ----------------------------------------------------------------------------------------------------

def load_configs(root):
    configs = {}
    for component in CLASSES:
        with open(os.path.join(root, component, "config.json")) as f:
            configs[component] = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    with open(os.path.join(root, "scheduler", "scheduler_config.json")) as f:
        scheduler = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    with open(os.path.join(root, "model_index.json")) as f:
        boundary = json.load(f)["boundary_ratio"]
    return configs, scheduler, boundary


def check(official, root):
    configs, scheduler, boundary = load_configs(root)
    with open(os.path.join(root, "manifest.json")) as f:
        manifest = json.load(f)
    models = build(official, configs)
    for component, module in models.items():
        state = read_safetensors(os.path.join(root, component, "diffusion_pytorch_model.safetensors"))
        module.load_state_dict(state, strict=True)
        module.eval()
    models64 = {k: to_f64(v) for k, v in models.items()}
    worst = 0.0
    for name, entry in manifest["cases"].items():
        golden = read_safetensors(os.path.join(root, entry["file"]))
        tensors, p = entry["tensors"], entry["params"]
        if "input.x" in tensors:
            component, index = entry["call"].split(".blocks[")[0], int(entry["call"].split("[")[1].split("]")[0])
            result = block_case(models, models64, component, index, golden)
        elif "input.visual" in tensors:
            result = bridge_case(models, models64, p["layer_idx"], p["grid"], golden)
        elif "input.visual_latents" in tensors:
            pipe = pipeline(official, models, scheduler, boundary, FakeVideoVae(None), None)
            pipe64 = pipeline(official, models, scheduler, boundary, FakeVideoVae(None), None, f64=True)
            result = single_step_case(pipe, pipe64, p["expert"], golden, p["video_fps"])
        elif "input.video_noise" in tensors:
            result = loop_case(official, models, scheduler, boundary, golden, p["geometry"], p["num_inference_steps"], p["cfg_scale"], p["prompt_lengths"])
        elif "input.z" in tensors:
            result = dac_case(models, models64, golden)
        else:
            print(f"{name}: not re-run (tables and scheduler values are checked bit-exactly by the C# tests)")
            continue
        errors = {k: rel(v, golden[k]) for k, v in result.items() if k in golden and v.dtype == golden[k].dtype and v.shape == golden[k].shape}
        missing = [k for k in result if k not in golden]
        case_worst = max(errors.values())
        worst = max(worst, case_worst)
        print(f"{name}: {len(errors)} tensors compared, max rel err {case_worst:.2e}" + (f"; not in the set: {missing}" if missing else ""))
        print("   nonzero:", {k: f"{v:.1e}" for k, v in errors.items() if v > 0})
    print(f"worst {worst:.2e}")
    return worst


# ---- generate mode -------------------------------------------------------------------------------------------------

def source_hashes(mova_source):
    files = ["mova/diffusion/models/wan_video_dit.py", "mova/diffusion/models/wan_audio_dit.py", "mova/diffusion/models/interactionv2.py",
             "mova/diffusion/models/dac_vae.py", "mova/diffusion/schedulers/flow_match.py", "mova/diffusion/schedulers/flow_match_pair.py",
             "mova/diffusion/pipelines/pipeline_mova.py"]
    out = {}
    for path in files:
        with open(os.path.join(mova_source, path), "rb") as f:
            out[path] = "sha256:" + hashlib.sha256(f.read()).hexdigest()
    return out


def generate(official, spec, out_root, mova_source, revision):
    g = torch.Generator().manual_seed(spec["seed"])
    configs = {k: dict(spec[k]) | {f: v for f, v in EXTRA[k].items() if f not in spec[k]} for k in ("video_dit", "audio_dit", "dual_tower_bridge", "audio_vae")}
    models = build(official, configs)
    for k, module in models.items():
        randomize(module, g, dac=k == "audio_vae")
        module.eval()
    models64 = {k: to_f64(v) for k, v in models.items()}
    scheduler, boundary, geometry, names = spec["scheduler"], spec["boundary_ratio"], spec["geometry"], spec["names"]
    vc, ac, bc, dc = configs["video_dit"], configs["audio_dit"], configs["dual_tower_bridge"], configs["audio_vae"]
    t, h, w = (geometry["num_frames"] - 1) // 4 + 1, geometry["height"] // 16, geometry["width"] // 16
    hop = int(np.prod(dc["encoder_rates"]))
    samples = int(dc["sample_rate"] * geometry["num_frames"] / geometry["video_fps"])
    ta = (samples - 1) // hop + 1
    fps = geometry["video_fps"]
    cases, manifest_cases = {}, {}

    def add(name, tensors, description, call, params, fp32_vs_fp64=None):
        cases[name] = tensors
        entry = {"file": f"cases/{name}.safetensors", "description": description, "call": call, "params": params,
                 "tensors": {k: {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")} for k, v in sorted(tensors.items())}}
        if fp32_vs_fp64:
            entry["fp32_vs_fp64"] = fp32_vs_fp64
        manifest_cases[name] = entry

    r = lambda *shape: torch.randn(*shape, generator=g)  # noqa: E731
    lc = 10
    # Blocks: the high-noise expert's last block, an audio block, the low-noise expert's first block.
    for name, (component, index, dim, heads, length) in zip(names["blocks"], [
            ("video_dit", vc["num_layers"] - 1, vc["dim"], vc["num_heads"], t * h * w),
            ("audio_dit", 1, ac["dim"], ac["num_heads"], ta),
            ("video_dit_2", 0, vc["dim"], vc["num_heads"], t * h * w)]):
        freqs = grid_freqs(models["video_dit"], t, h, w) if component != "audio_dit" else audio_freqs(models["audio_dit"], ta)
        inputs = {"input.x": r(2, length, dim), "input.context": r(2, lc, dim), "input.t_mod": 0.5 * r(2, 6, dim)} | complex_pair("input.freqs", freqs)
        result = block_case(models, models64, component, index, inputs)
        add(name, inputs | result, f"One DiTBlock forward of {component}.blocks.{index} (B=2, per-sample t_mod, already-embedded context).",
            f"{component}.blocks[{index}](x, context, t_mod, freqs)",
            {"weights": f"{component}/diffusion_pytorch_model.safetensors prefix blocks.{index}.", "B": 2, "L": length, "Lc": lc, "dim": dim,
             "num_heads": heads, "head_dim": dim // heads, "grid": [t, h, w] if component != "audio_dit" else [ta]},
            {"output.x": err_stats(result["output.x"], result["reference_f64.output.x"])})

    layer = min(2, min(bc["visual_layers"], bc["audio_layers"]) - 1)
    (rvc, rvs), (rac, ras) = models["dual_tower_bridge"].build_aligned_freqs(video_fps=fps, grid_size=(t, h, w), audio_steps=ta, device=torch.device("cpu"), dtype=torch.float32)
    inputs = {"input.visual": r(2, t * h * w, vc["dim"]), "input.audio": r(2, ta, ac["dim"]), "input.visual_rope_cos": rvc, "input.visual_rope_sin": rvs,
              "input.audio_rope_cos": rac, "input.audio_rope_sin": ras}
    result = bridge_case(models, models64, layer, (t, h, w), inputs)
    add(names["bridge"], inputs | result, f"DualTowerConditionalBridge.forward at interaction layer {layer}; *_scaled: a2v 0.5, v2a 2.0.",
        f"bridge({layer}, visual, audio, x_freqs, y_freqs, condition_scale=1.0, video_grid_size=grid)",
        {"layer_idx": layer, "B": 2, "grid": [t, h, w], "Ta": ta, "video_fps": fps},
        {"output.visual": err_stats(result["output.visual"], result["reference_f64.output.visual"])})
    bridge_layers = [i for i in range(min(vc["num_layers"], ac["num_layers"])) if models["dual_tower_bridge"].should_interact(i, "a2v")]
    manifest_cases[names["bridge"]]["params"]["interaction_layers"] = bridge_layers

    pipe = pipeline(official, models, scheduler, boundary, FakeVideoVae(None), None)
    pipe64 = pipeline(official, models, scheduler, boundary, FakeVideoVae(None), None, f64=True)
    for name, expert, (tv, tav) in zip(names["steps"], ["video_dit", "video_dit_2"], [(930.5, 911.25), (420.75, 401.5)]):
        context = r(1, lc, vc["text_dim"])
        context[:, 7:] = 0
        inputs = {"input.visual_latents": r(1, 36, t, 2 * h, 2 * w), "input.audio_latents": r(1, ac["in_dim"], ta), "input.context": context,
                  "input.timestep": torch.tensor([tv]), "input.audio_timestep": torch.tensor([tav])}
        result = single_step_case(pipe, pipe64, expert, inputs, fps)
        add(name, inputs | result, f"MOVA.inference_single_step with the {expert} expert (+ audio_dit + bridge); intermediate.* are hook captures.",
            f"pipe.inference_single_step(visual_dit=pipe.{expert}, visual_latents, audio_latents, context, timestep, audio_timestep, video_fps={fps}, cp_mesh=None)",
            {"expert": expert, "video_fps": fps, "grid": [t, h, w], "Lv": t * h * w, "Ta": ta, "ctx_len": lc, "ctx_valid_rows": 7, "timestep": tv,
             "audio_timestep": tav, "visual_blocks": vc["num_layers"], "audio_blocks": ac["num_layers"], "bridge_layers": bridge_layers},
            {"output.visual": err_stats(result["output.visual"], result["reference_f64.output.visual"]),
             "output.audio": err_stats(result["output.audio"], result["reference_f64.output.audio"])})

    for name, (steps, cfg, lengths) in zip(names["loops"], [(5, 4.0, {"positive": 9, "negative": 4}), (2, 1.0, {"positive": 6, "negative": 3})]):
        inputs = {"input.video_noise": r(1, 16, t, 2 * h, 2 * w), "input.audio_noise": r(1, ac["in_dim"], ta),
                  "input.video_vae_latent_raw": r(1, 16, t, 2 * h, 2 * w),
                  "input.text_encoder_out_positive": r(1, 512, vc["text_dim"]), "input.text_encoder_out_negative": r(1, 512, vc["text_dim"])}
        result = loop_case(official, models, scheduler, boundary, inputs, geometry, steps, cfg, lengths)
        add(name, inputs | result, f"Full MOVA.__call__ sampling loop ({steps} steps, cfg {cfg}, boundary_ratio {boundary}) with injected noise, a stand-in "
            "video VAE (encode -> input.video_vae_latent_raw, decode -> identity) and stand-in UMT5 (raw outputs input.text_encoder_out_*).",
            "pipe(prompt, image, negative_prompt, height, width, num_frames, video_fps, num_inference_steps, cfg_scale) with randn_tensor served [video_noise, audio_noise]",
            {"num_inference_steps": steps, "cfg_scale": cfg, "boundary_ratio": boundary, "boundary_timestep": boundary * scheduler["num_train_timesteps"],
             "geometry": dict(geometry, latent_T=t, latent_h=2 * h, latent_w=2 * w, grid=[t, h, w], Lv=t * h * w, audio_sample_rate=dc["sample_rate"],
                              hop_length=hop, audio_num_samples=samples, Ta=ta),
             "prompt_lengths": lengths, "max_sequence_length": 512,
             "video_vae_config_used": {"scale_factor_spatial": 8, "scale_factor_temporal": 4, "z_dim": 16, "latents_mean": LATENTS_MEAN, "latents_std": LATENTS_STD}},
            {"output.video_latents": err_stats(result["output.video_latents"], result["reference_f64.output.video_latents"])})

    combos = [(50, scheduler), (5, scheduler), (2, scheduler), (4, scheduler), (7, dict(scheduler, shift=5.0))]
    tensors, combo_params = scheduler_case(official, combos, g)
    for combo, (steps, config) in zip(combo_params, combos):
        combo["switch_step_at_boundary"] = switch_step(official, config, steps, boundary)
    add(names["scheduler"], tensors, "FlowMatchPairScheduler pairs, snapped sigmas and step_from_to for several (steps, shift) combos.",
        "s = FlowMatchPairScheduler(**scheduler_config); s.set_timesteps(N); ...", {"combos": combo_params})

    tensors, rope_params = rope_case(official, models, configs, (t, h, w), ta, fps)
    add(names["rope"], tensors, "Self-attention RoPE tables (complex128 as .real/.imag), bridge aligned cos/sin, sinusoidal embeddings.",
        "bridge.build_aligned_freqs / precompute_freqs_cis_3d / precompute_freqs_cis_1d + the pipeline's concat; sinusoidal_embedding_1d(dim, t)", rope_params)

    inputs = {"input.z": r(2, dc["latent_dim"], ta)}
    result = dac_case(models, models64, inputs)
    add(names["dac"], inputs | result, "DAC (continuous) decode: post_quant_conv -> decoder; folded.* are the effective weight-norm weights.",
        "audio_vae.decode(z)", {"B": 2, "latent_frames": ta, "hop_length": hop, "expected_samples": ta * int(np.prod(dc["decoder_rates"]))},
        {"output.audio": err_stats(result["output.audio"], result["reference_f64.output.audio"])})

    # Components, configs, manifest.
    components = {}
    for component, module in models.items():
        class_name, class_path = CLASSES[component]
        config = {"_class_name": class_name} | (configs[component] if component in configs else configs["video_dit"])
        folder = os.path.join(out_root, component)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
        state = {k: v for k, v in module.state_dict().items()}
        write_safetensors(os.path.join(folder, "diffusion_pytorch_model.safetensors"), state, {"format": "pt"})
        components[component] = {"class": class_path, "config": config, "files": [f"{component}/diffusion_pytorch_model.safetensors", f"{component}/config.json"],
                                  "num_tensors": len(state), "num_params": int(sum(v.numel() for v in state.values())),
                                  "state_dict_keys": {k: list(v.shape) for k, v in sorted(state.items())}}
    os.makedirs(os.path.join(out_root, "scheduler"), exist_ok=True)
    with open(os.path.join(out_root, "scheduler", "scheduler_config.json"), "w") as f:
        json.dump({"_class_name": "FlowMatchPairScheduler"} | scheduler, f, indent=2)
    components["scheduler"] = {"class": "mova.diffusion.schedulers.flow_match_pair.FlowMatchPairScheduler",
                               "config": {"_class_name": "FlowMatchPairScheduler"} | scheduler, "files": ["scheduler/scheduler_config.json"]}
    with open(os.path.join(out_root, "model_index.json"), "w") as f:
        json.dump({"_class_name": "MOVA", "_note": "written by load-tests/goldens/make_mova_set.py; absent components are [null, null]",
                   "audio_vae_type": "dac", "boundary_ratio": boundary} | {k: list(CLASSES[k][1].rsplit(".", 1)) for k in CLASSES}
                  | {k: [None, None] for k in ("text_encoder", "tokenizer", "video_vae")}, f, indent=2)
    total = 0
    for name, tensors in cases.items():
        path = os.path.join(out_root, "cases", f"{name}.safetensors")
        write_safetensors(path, tensors, {"case": name, "config": "variant"})
        manifest_cases[name]["bytes"] = os.path.getsize(path)
        total += os.path.getsize(path)
    manifest = {"format": "mova-goldens/1", "config_name": "variant",
                "dtype": "float32 everywhere except reference_f64.* (float64); RoPE tables complex128 as float64 .real/.imag; integers int64",
                "generator": {"script": "load-tests/goldens/make_mova_set.py (imports the official OpenMOSS/MOVA modules unchanged)",
                              "torch": torch.__version__, "torch_polyfills": official_harness.POLYFILLS, "stand_ins": official_harness.STAND_INS,
                              "attention_backend": "F.scaled_dot_product_attention polyfill (flash-attn / sage / yunchang absent)",
                              "official_source": {"source_kind": "git", "revision": revision, "files": source_hashes(mova_source)}, "seed": spec["seed"]},
                "layout": {"model_index.json": "pipeline-level config (boundary_ratio, audio_vae_type)",
                           "<component>/config.json": "constructor arguments (drop keys starting with '_')",
                           "<component>/diffusion_pytorch_model.safetensors": "official state-dict keys, float32",
                           "cases/<case>.safetensors": "golden tensors of one case (input.*, output.*, intermediate.*, reference_f64.*, case groups)"},
                "components": components, "cases": manifest_cases, "total_bytes_without_manifest": total}
    with open(os.path.join(out_root, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    for name, entry in manifest_cases.items():
        if "fp32_vs_fp64" in entry:
            print(name, {k: f"{v['max_abs_over_max_ref']:.1e}" for k, v in entry["fp32_vs_fp64"].items()})
    print(f"wrote {len(cases)} cases, {total} bytes, to {out_root}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mova-src", required=True, help="a checkout of OpenMOSS/MOVA (the folder holding mova/)")
    parser.add_argument("--out", help="folder to write the new set to")
    parser.add_argument("--config", help="JSON overriding the default shapes (same keys as DEFAULT)")
    parser.add_argument("--check", help="an existing set: re-run its cases with its weights and inputs and report the differences")
    parser.add_argument("--revision", default="595a97691123e8356a65ba9fdeee23ae81aaa471")
    args = parser.parse_args()
    torch.set_num_threads(2)
    official = official_harness.install(os.path.abspath(args.mova_src))
    if args.check:
        sys.exit(0 if check(official, args.check) < 1e-5 else 1)
    spec = copy.deepcopy(DEFAULT)
    if args.config:
        with open(args.config) as f:
            spec.update(json.load(f))
    generate(official, spec, args.out, os.path.abspath(args.mova_src), args.revision)


if __name__ == "__main__":
    main()
