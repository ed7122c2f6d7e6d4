#!/usr/bin/python3
"""Writes a LoRA golden set in the mova-lora-goldens/1 format (shared/goldens/README.md, mova-tiny-lora) on top of an
existing MOVA set, by running the official LoRA code (mova/engine/trainer/accelerate/lora_utils.py and the MOVALoRA
pipeline of mova/diffusion/pipelines/mova_lora.py, imported unchanged through official_harness.py) on the base set's
weights and single-step inputs.

Needs only Debian 12 packages: python3-torch (1.13) and python3-numpy.

  git -C <MOVA mirror> archive HEAD mova | tar -x -C /tmp/mova-src
  make_mova_set.py --mova-src /tmp/mova-src --out /tmp/sets/mova-variant
  make_lora_set.py --mova-src /tmp/mova-src --base /tmp/sets/mova-variant --out /tmp/sets/mova-variant-lora
  MOVA_LORA_GOLDENS=/tmp/sets/mova-variant-lora dotnet test tests/MovaCluster.Model.Tests --filter FullyQualifiedName~Lora
  make_lora_set.py --mova-src /tmp/mova-src --check ../shared/goldens/mova-tiny-lora

The base set is found again beside the new one by its folder name (manifest "base_set"). The defaults differ from
mova-tiny-lora in every value the tests read: rank 8, alpha 12, strength 0.35, alpha override 5, case names.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import sys

import torch
import torch.nn as nn

import make_mova_set as mova_set
import official_harness

COMPONENTS = ["video_dit", "video_dit_2", "audio_dit", "dual_tower_bridge"]


def import_lora_code(mova_source):
    """lora_utils.py without running mova/engine/__init__.py (its optimizers need libraries the calls here never use),
    then the MOVALoRA pipeline, which imports lora_utils by its package path."""
    sys.modules["diffusers"].DiffusionPipeline = official_harness.DiffusionPipeline
    for package in ("mova.engine", "mova.engine.trainer", "mova.engine.trainer.accelerate"):
        official_harness._module(package).__path__ = [os.path.join(mova_source, *package.split("."))]
    name = "mova.engine.trainer.accelerate.lora_utils"
    spec = importlib.util.spec_from_file_location(name, os.path.join(mova_source, *name.split(".")) + ".py")
    lora_utils = importlib.util.module_from_spec(spec)
    sys.modules[name] = lora_utils
    spec.loader.exec_module(lora_utils)
    import mova.diffusion.pipelines.mova_lora as mova_lora

    return lora_utils, mova_lora


class MOVATrain(nn.Module):
    """The trainer's module: the four denoising components as attributes. save_lora_weights writes this class's
    name as the config's rank, as the official trainer does."""

    def __init__(self, pipe):
        super().__init__()
        for name in COMPONENTS:
            setattr(self, name, getattr(pipe, name))


def single_step_cases(manifest):
    return [name for name, entry in manifest["cases"].items()
            if "input.visual_latents" in entry["tensors"] and "num_inference_steps" not in entry["params"]]


def run_step(pipe, expert, inputs, fps):
    with torch.no_grad():
        return pipe.inference_single_step(
            visual_dit=getattr(pipe, expert), visual_latents=inputs["input.visual_latents"], audio_latents=inputs["input.audio_latents"],
            context=inputs["input.context"], timestep=inputs["input.timestep"], audio_timestep=inputs["input.audio_timestep"],
            video_fps=fps, cp_mesh=None)


def max_abs(a, b):
    return float((a.double() - b.double()).abs().max())


def sha256(path):
    with open(path, "rb") as f:
        return "sha256:" + hashlib.sha256(f.read()).hexdigest()


def generate(official, lora_utils, mova_lora, args):
    base = os.path.abspath(args.base)
    out_root = os.path.abspath(args.out)
    configs, scheduler, boundary = mova_set.load_configs(base)
    with open(os.path.join(base, "manifest.json")) as f:
        base_manifest = json.load(f)
    models = mova_set.build(official, configs)
    for component, module in models.items():
        module.load_state_dict(mova_set.read_safetensors(os.path.join(base, component, "diffusion_pytorch_model.safetensors")), strict=True)
        module.eval()
    pipe = mova_set.pipeline(official, models, scheduler, boundary, mova_set.FakeVideoVae(None), None)

    steps = []
    for name in single_step_cases(base_manifest):
        entry = base_manifest["cases"][name]
        golden = mova_set.read_safetensors(os.path.join(base, entry["file"]))
        inputs = {k: v for k, v in golden.items() if k.startswith("input.")}
        steps.append((args.prefix + name, entry["params"], inputs, {}))
    assert steps, f"{base} has no single-step case"
    for _, params, inputs, outputs in steps:
        outputs["base"] = run_step(pipe, params["expert"], inputs, params["video_fps"])

    # As MOVALoRA.from_pretrained_with_lora turns a loaded MOVA into the LoRA pipeline.
    pipe.__class__ = mova_lora.MOVALoRA
    pipe._lora_injected, pipe._lora_layers = False, {}
    pipe._inject_lora_layers(rank=args.rank, alpha=args.alpha, target_modules=COMPONENTS)
    generator = torch.Generator().manual_seed(args.seed)
    injected = {}
    with torch.no_grad():
        for component in COMPONENTS:
            injected[component] = []
            for layer_name, module in getattr(pipe, component).named_modules():
                if isinstance(module, lora_utils.LoRALinear):
                    injected[component].append(layer_name)
                    a, b = module.lora_A.weight, module.lora_B.weight
                    a.copy_(torch.randn(a.shape, generator=generator) / a.shape[1] ** 0.5)
                    b.copy_(torch.randn(b.shape, generator=generator) * args.b_std)
            injected[component].sort()

    adapters = os.path.join(out_root, "adapters")
    trainer = MOVATrain(pipe)
    # MOVALoRA.set_lora_scale and merge_lora_weights walk self.named_modules() / named_children(), which a diffusers
    # pipeline object lacks (it is no nn.Module); their unchanged code runs on the module holding the components.
    trainer._lora_injected = True
    lora_utils.save_lora_weights(trainer, os.path.join(adapters, "peft"), format="peft")
    lora_utils.save_lora_weights(trainer, os.path.join(adapters, "diffsynth"), format="diffsynth")
    # save_lora_weights always writes alpha 16.0; the config is rewritten with the alpha the layers were built with,
    # so the files mean what the outputs below were computed with (MOVALoRA.load_lora takes alpha from the config).
    for form in ("peft", "diffsynth"):
        path = os.path.join(adapters, form, "lora_config.pt")
        config = torch.load(path, map_location="cpu")
        config["alpha"] = args.alpha
        torch.save(config, path)
    peft = torch.load(os.path.join(adapters, "peft", "lora_weights.pt"), map_location="cpu")
    mova_set.write_safetensors(os.path.join(adapters, "safetensors", "lora.safetensors"), peft,
                               {"format": "pt", "rank": str(args.rank), "alpha": repr(float(args.alpha))})
    saved_config = torch.load(os.path.join(adapters, "peft", "lora_config.pt"), map_location="cpu")

    # The inference flow: weights loaded from the saved file, then strength, alpha override, merge.
    peft_folder = os.path.join(adapters, "peft")
    lora_utils.load_lora_weights(pipe, peft_folder)
    for _, params, inputs, outputs in steps:
        outputs["lora"] = run_step(pipe, params["expert"], inputs, params["video_fps"])
    lora_utils.load_lora_weights(pipe, os.path.join(adapters, "diffsynth"))
    for _, params, inputs, outputs in steps:
        again = run_step(pipe, params["expert"], inputs, params["video_fps"])
        assert all(torch.equal(x, y) for x, y in zip(again, outputs["lora"])), "the diffsynth form loads different weights"
    mova_lora.MOVALoRA.set_lora_scale(trainer, args.lora_scale)
    for _, params, inputs, outputs in steps:
        outputs["lora_scale"] = run_step(pipe, params["expert"], inputs, params["video_fps"])
    mova_lora.MOVALoRA.set_lora_scale(trainer, 1.0)
    lora_utils.load_lora_weights(pipe, peft_folder, alpha=args.alpha_override)
    for _, params, inputs, outputs in steps:
        outputs["lora_alpha_override"] = run_step(pipe, params["expert"], inputs, params["video_fps"])
    lora_utils.load_lora_weights(pipe, peft_folder, alpha=args.alpha)
    mova_lora.MOVALoRA.merge_lora_weights(trainer)
    for _, params, inputs, outputs in steps:
        outputs["merged"] = run_step(pipe, params["expert"], inputs, params["video_fps"])

    cases = {}
    for name, params, inputs, outputs in steps:
        tensors = dict(inputs)
        for variant, (visual, audio) in outputs.items():
            tensors[f"output.{variant}.visual"], tensors[f"output.{variant}.audio"] = visual, audio
        file = f"cases/{name}.safetensors"
        mova_set.write_safetensors(os.path.join(out_root, file), tensors)
        cases[name] = {
            "file": file,
            "bytes": os.path.getsize(os.path.join(out_root, file)),
            "description": f"MOVA.inference_single_step with the {params['expert']} expert (+ audio_dit + bridge), LoRA injected into "
                           f"{', '.join(COMPONENTS)} as MOVALoRA does. base: no LoRA. lora: unmerged, scaling alpha/rank. lora_scale: "
                           "MOVALoRA.set_lora_scale(lora_scale). lora_alpha_override: load_lora_weights(alpha=alpha_override). merged: "
                           "load_lora_weights then merge_lora_weights (W + B@A * alpha/rank), computed in float32.",
            "call": f"pipe.inference_single_step(visual_dit=pipe.{params['expert']}, ...) with the adapter in adapters/",
            "params": {"expert": params["expert"], "rank": args.rank, "alpha": args.alpha, "lora_scale": args.lora_scale,
                       "alpha_override": args.alpha_override, "video_fps": params["video_fps"]}
                      | {k: params[k] for k in ("grid", "Ta", "ctx_valid_rows") if k in params},
            "tensors": {k: {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")} for k, v in sorted(tensors.items())},
            "max_abs": {
                "lora_vs_base.visual": max_abs(outputs["lora"][0], outputs["base"][0]),
                "merged_vs_lora.visual": max_abs(outputs["merged"][0], outputs["lora"][0]),
                "merged_vs_lora.audio": max_abs(outputs["merged"][1], outputs["lora"][1]),
            },
        }

    lora_source = ["mova/engine/trainer/accelerate/lora_utils.py", "mova/diffusion/pipelines/mova_lora.py"]
    manifest = {
        "format": "mova-lora-goldens/1",
        "config_name": base_manifest.get("config_name"),
        "dtype": "float32 everywhere (weights, inputs, outputs)",
        "generator": {
            "script": "load-tests/goldens/make_lora_set.py",
            "torch": torch.__version__,
            "torch_polyfills": official_harness.POLYFILLS,
            "stand_ins": official_harness.STAND_INS,
            "official_source": {"source_kind": "git", "revision": args.revision,
                                "files": mova_set.source_hashes(args.mova_src) | {p: sha256(os.path.join(args.mova_src, p)) for p in lora_source}},
            "seed": args.seed,
        },
        "cases": cases,
        "base_set": os.path.basename(base),
        "adapter": {
            "rank": args.rank,
            "alpha": args.alpha,
            "target_layer_names (official MOVALoRA)": ["q", "k", "v", "o", "to_q", "to_k", "to_v", "proj"],
            "formats": {
                "peft": "adapters/peft/lora_weights.pt (torch.save dict '<component>.<module path>.lora_A.weight' / '.lora_B.weight') + lora_config.pt, both written by the official save_lora_weights",
                "diffsynth": "adapters/diffsynth/: the same with '.lora_A.default.weight' / '.lora_B.default.weight'",
                "safetensors": "adapters/safetensors/lora.safetensors: the peft dict; rank and alpha in the metadata",
            },
            "official_lora_config_pt": saved_config,
            "note": "the official save_lora_weights writes the model's class name as 'rank' in lora_config.pt, so a loader takes the rank from the tensor shapes and alpha from the config when it is a number (else 16.0); it always writes alpha 16.0, so this generator rewrites lora_config.pt with the alpha the layers were built with",
            "injected_layers": injected,
        },
    }
    with open(os.path.join(out_root, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    for name, entry in cases.items():
        print(name, {k: f"{v:.2e}" for k, v in entry["max_abs"].items()})
    print(f"wrote {len(cases)} cases and {sum(len(v) for v in injected.values())} adapted layers to {out_root}")


def check(official, lora_utils, mova_lora, root):
    """Re-runs every case of an existing LoRA set through the official flow with the set's own peft adapter (rank
    from its shapes, alpha from its config) and prints the largest relative difference per output."""
    with open(os.path.join(root, "manifest.json")) as f:
        manifest = json.load(f)
    base = os.path.join(os.path.dirname(os.path.abspath(root)), manifest["base_set"])
    configs, scheduler, boundary = mova_set.load_configs(base)
    models = mova_set.build(official, configs)
    for component, module in models.items():
        module.load_state_dict(mova_set.read_safetensors(os.path.join(base, component, "diffusion_pytorch_model.safetensors")), strict=True)
        module.eval()
    pipe = mova_set.pipeline(official, models, scheduler, boundary, mova_set.FakeVideoVae(None), None)
    folder = os.path.join(root, "adapters", "peft")
    weights = torch.load(os.path.join(folder, "lora_weights.pt"), map_location="cpu")
    rank = next(v.shape[0] for k, v in weights.items() if k.endswith("lora_A.weight"))
    config = torch.load(os.path.join(folder, "lora_config.pt"), map_location="cpu")
    alpha = config["alpha"] if isinstance(config.get("alpha"), (int, float)) else 16.0
    cases = {name: (entry, mova_set.read_safetensors(os.path.join(root, entry["file"]))) for name, entry in manifest["cases"].items()}
    results = {name: {} for name in cases}

    def run_all(variant):
        for name, (entry, golden) in cases.items():
            results[name][variant] = run_step(pipe, entry["params"]["expert"], golden, entry["params"]["video_fps"])

    run_all("base")
    pipe.__class__ = mova_lora.MOVALoRA
    pipe._lora_injected, pipe._lora_layers = False, {}
    pipe._inject_lora_layers(rank=rank, alpha=alpha, target_modules=COMPONENTS)
    trainer = MOVATrain(pipe)
    trainer._lora_injected = True
    lora_utils.load_lora_weights(pipe, folder)
    run_all("lora")
    params = next(iter(cases.values()))[0]["params"]
    mova_lora.MOVALoRA.set_lora_scale(trainer, params["lora_scale"])
    run_all("lora_scale")
    mova_lora.MOVALoRA.set_lora_scale(trainer, 1.0)
    lora_utils.load_lora_weights(pipe, folder, alpha=params["alpha_override"])
    run_all("lora_alpha_override")
    lora_utils.load_lora_weights(pipe, folder, alpha=alpha)
    mova_lora.MOVALoRA.merge_lora_weights(trainer)
    run_all("merged")
    worst = 0.0
    for name, (_, golden) in cases.items():
        errors = {}
        for variant, (visual, audio) in results[name].items():
            for stream, tensor in (("visual", visual), ("audio", audio)):
                expected = golden[f"output.{variant}.{stream}"]
                errors[f"{variant}.{stream}"] = max_abs(tensor, expected) / float(expected.double().abs().max())
        worst = max(worst, max(errors.values()))
        print(name, {k: f"{v:.1e}" for k, v in errors.items()})
    print(f"worst {worst:.2e}")
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mova-src", required=True, help="a checkout of OpenMOSS/MOVA (the folder holding mova/)")
    parser.add_argument("--base", help="the MOVA golden set the adapter is made for (its weights and single-step inputs)")
    parser.add_argument("--out", help="folder to write the LoRA set to (put it beside the base set)")
    parser.add_argument("--check", help="an existing LoRA set: re-run its cases through the official flow and report the differences")
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=12.0)
    parser.add_argument("--lora-scale", type=float, default=0.35)
    parser.add_argument("--alpha-override", type=float, default=5.0)
    parser.add_argument("--b-std", type=float, default=0.08, help="standard deviation of the random lora_B entries")
    parser.add_argument("--seed", type=int, default=20261208)
    parser.add_argument("--prefix", default="adapted_", help="prefix of the case names (the base set's single-step names follow)")
    parser.add_argument("--revision", default="595a97691123e8356a65ba9fdeee23ae81aaa471")
    args = parser.parse_args()
    args.mova_src = os.path.abspath(args.mova_src)
    torch.set_num_threads(2)
    official = official_harness.install(args.mova_src)
    lora_utils, mova_lora = import_lora_code(args.mova_src)
    if args.check:
        sys.exit(0 if check(official, lora_utils, mova_lora, args.check) < 1e-5 else 1)
    if not args.base or not args.out:
        parser.error("--base and --out are required unless --check is given")
    generate(official, lora_utils, mova_lora, args)


if __name__ == "__main__":
    main()
