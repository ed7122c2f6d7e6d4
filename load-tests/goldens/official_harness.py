"""Imports the official OpenMOSS/MOVA modules unchanged on Debian 12's python3-torch (1.13) and python3-numpy.

The official files import libraries they do not use for the calls the goldens make (diffusers' config and model
mixins, einops, mmengine's registry, audiotools, transformers, ftfy, yunchang); this module stands in for those with
the smallest objects that let the imports succeed, and polyfills the torch 2 functions the official code calls
(torch.nn.RMSNorm, F.scaled_dot_product_attention, torch.compile, torch.autocast('cuda') without CUDA, DTensor,
DeviceMesh). Numerics stay the official code's and torch's; einops.rearrange is the one stand-in that moves data,
and it only reshapes and permutes (see rearrange below).
"""
import contextlib
import functools
import inspect
import math
import os
import re
import sys
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

POLYFILLS = [
    "torch.compile (identity)",
    "torch.nn.RMSNorm",
    "torch.nn.functional.scaled_dot_product_attention",
    "torch.autocast('cuda') without CUDA -> disabled (torch 2.x behaviour)",
    "torch.distributed.tensor.DTensor (inert)",
    "torch.distributed.device_mesh.DeviceMesh (inert)",
    "torch.distributed.get_rank() -> 0 without a process group",
]
STAND_INS = [
    "diffusers ConfigMixin/register_to_config (records constructor arguments), ModelMixin (nn.Module with dtype/device), "
    "SchedulerMixin, apply_forward_hook (identity), DiffusionPipeline (register_modules, cpu execution device), "
    "VideoProcessor/randn_tensor (served by the harness)",
    "einops.rearrange (pattern parser: reshape + permute)",
    "mmengine.registry.Registry (register_module decorator)",
    "audiotools AudioSignal/BaseModel, transformers T5TokenizerFast/UMT5EncoderModel, ftfy.fix_text, yunchang (names only)",
]


def _module(name, **attrs):
    module = sys.modules.get(name) or types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    if "." in name:
        parent, child = name.rsplit(".", 1)
        setattr(_module(parent), child, module)
    return module


class FrozenDict(dict):
    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError as error:
            raise AttributeError(key) from error


class ConfigMixin:
    config_name = "config.json"

    def register_to_config(self, **kwargs):
        merged = dict(self.__dict__.get("_internal_dict", {}))
        merged.update(kwargs)
        object.__setattr__(self, "_internal_dict", FrozenDict(merged))

    @property
    def config(self):
        return self.__dict__.get("_internal_dict", FrozenDict())


def register_to_config(init):
    signature = inspect.signature(init)

    @functools.wraps(init)
    def wrapper(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = {k: v for k, v in bound.arguments.items() if k != "self" and k != "kwargs"}
        init(self, *args, **kwargs)
        ConfigMixin.register_to_config(self, **arguments)

    return wrapper


class ModelMixin(nn.Module):
    @property
    def dtype(self):
        for parameter in self.parameters():
            return parameter.dtype
        return torch.float32

    @property
    def device(self):
        for parameter in self.parameters():
            return parameter.device
        return torch.device("cpu")


class DiffusionPipeline(ConfigMixin):
    def register_modules(self, **modules):
        for name, module in modules.items():
            setattr(self, name, module)

    @property
    def _execution_device(self):
        return torch.device("cpu")


class VideoProcessor:
    def __init__(self, vae_scale_factor=8, **_):
        self.vae_scale_factor = vae_scale_factor

    def preprocess(self, image, height=None, width=None):
        return image

    def postprocess_video(self, video, output_type="pil"):
        return video


RANDN_QUEUE = []


def randn_tensor(shape, generator=None, device=None, dtype=None):
    tensor = RANDN_QUEUE.pop(0)
    assert tuple(tensor.shape) == tuple(shape), f"served noise {tuple(tensor.shape)} for a request of {tuple(shape)}"
    return tensor.to(device=device, dtype=dtype)


_AXIS = re.compile(r"\(|\)|[A-Za-z_][A-Za-z0-9_]*")


def _parse(side):
    groups, current = [], None
    for token in _AXIS.findall(side):
        if token == "(":
            current = []
        elif token == ")":
            groups.append(current)
            current = None
        elif current is not None:
            current.append(token)
        else:
            groups.append([token])
    return groups


def rearrange(tensor, pattern, **sizes):
    """einops.rearrange for patterns of named axes and parenthesised groups (no ellipsis, no anonymous axes)."""
    left, right = (_parse(side) for side in pattern.split("->"))
    assert len(left) == tensor.dim(), f"{pattern}: tensor has {tensor.dim()} dims"
    known = dict(sizes)
    for group, length in zip(left, tensor.shape):
        unknown = [axis for axis in group if axis not in known]
        product = math.prod(known[axis] for axis in group if axis in known)
        if len(unknown) == 1:
            known[unknown[0]] = length // product
        assert not unknown or len(unknown) == 1, f"{pattern}: cannot infer {unknown}"
        assert math.prod(known[axis] for axis in group) == length, f"{pattern}: group {group} is not {length}"
    elementary = [axis for group in left for axis in group]
    order = [elementary.index(axis) for group in right for axis in group]
    assert sorted(order) == list(range(len(elementary))), f"{pattern}: axes differ"
    out = tensor.reshape([known[axis] for axis in elementary]).permute(order)
    return out.reshape([math.prod(known[axis] for axis in group) for group in right])


class Registry:
    def __init__(self, *args, **kwargs):
        self.modules = {}

    def register_module(self, name=None, module=None, force=False):
        def register(cls):
            self.modules[name or cls.__name__] = cls
            return cls

        return register(module) if module is not None else register


class RMSNorm(nn.Module):
    """torch.nn.RMSNorm (torch >= 2.4): x * rsqrt(mean(x^2) + eps) * weight over the last dimension."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(self.normalized_shape, device=device, dtype=dtype)) if elementwise_affine else None

    def forward(self, x):
        eps = self.eps if self.eps is not None else torch.finfo(x.dtype).eps
        dims = tuple(range(-len(self.normalized_shape), 0))
        y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
        return y * self.weight if self.weight is not None else y


def scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    assert attn_mask is None and not is_causal and dropout_p == 0.0
    factor = scale if scale is not None else 1.0 / math.sqrt(q.size(-1))
    return torch.softmax(q @ k.transpose(-2, -1) * factor, dim=-1) @ v


_autocast = torch.autocast


def autocast(device_type, *args, **kwargs):
    if device_type == "cuda" and not torch.cuda.is_available():
        return contextlib.nullcontext()
    return _autocast(device_type, *args, **kwargs)


def install(mova_source):
    """Installs the stand-ins and polyfills and puts the official source tree on the import path."""
    torch.compile = lambda fn=None, **_: fn if fn is not None else (lambda f: f)
    torch.nn.RMSNorm = RMSNorm
    F.scaled_dot_product_attention = scaled_dot_product_attention
    torch.autocast = autocast
    import torch.distributed as dist

    if not dist.is_initialized():
        dist.get_rank = lambda *args, **kwargs: 0
    _module("torch.distributed.tensor", DTensor=type("DTensor", (), {}))
    _module("torch.distributed.device_mesh", DeviceMesh=type("DeviceMesh", (), {}))

    _module("diffusers")
    _module("diffusers.configuration_utils", ConfigMixin=ConfigMixin, register_to_config=register_to_config, FrozenDict=FrozenDict)
    _module("diffusers.models.modeling_utils", ModelMixin=ModelMixin)
    _module("diffusers.models.autoencoders", AutoencoderKLWan=type("AutoencoderKLWan", (ModelMixin,), {}))
    _module("diffusers.schedulers", FlowMatchEulerDiscreteScheduler=type("FlowMatchEulerDiscreteScheduler", (), {}))
    _module("diffusers.schedulers.scheduling_utils", SchedulerMixin=type("SchedulerMixin", (), {}))
    _module("diffusers.utils.accelerate_utils", apply_forward_hook=lambda fn: fn)
    _module("diffusers.utils.torch_utils", randn_tensor=randn_tensor)
    _module("diffusers.image_processor", PipelineImageInput=object)
    _module("diffusers.pipelines", DiffusionPipeline=DiffusionPipeline)
    _module("diffusers.video_processor", VideoProcessor=VideoProcessor)
    _module("einops", rearrange=rearrange)
    _module("mmengine.registry", Registry=Registry)
    _module("audiotools", AudioSignal=type("AudioSignal", (), {}))
    _module("audiotools.ml", BaseModel=type("BaseModel", (nn.Module,), {}))
    _module("transformers.models", T5TokenizerFast=object, UMT5EncoderModel=object)
    _module("ftfy", fix_text=lambda text: text)
    attn_type = type("AttnType", (), {name: name for name in ("FA", "FA3", "TORCH", "SAGE_FP16", "SAGE_FP8")})
    _module("yunchang", LongContextAttention=type("LongContextAttention", (), {}))
    _module("yunchang.kernels", AttnType=attn_type)
    try:
        import tqdm  # noqa: F401
    except ModuleNotFoundError:
        _module("tqdm", tqdm=lambda iterable, **_: iterable, trange=range)

    sys.path.insert(0, mova_source)
    import mova.diffusion  # noqa: F401

    # The pipelines package __init__ also imports the training pipelines; only pipeline_mova is needed.
    pipelines = _module("mova.diffusion.pipelines")
    pipelines.__path__ = [os.path.join(mova_source, "mova", "diffusion", "pipelines")]
    import mova.diffusion.models.wan_video_dit as wan_video_dit
    import mova.diffusion.models.wan_audio_dit as wan_audio_dit
    import mova.diffusion.models.interactionv2 as interactionv2
    import mova.diffusion.models.dac_vae as dac_vae
    import mova.diffusion.schedulers.flow_match_pair as flow_match_pair
    import mova.diffusion.pipelines.pipeline_mova as pipeline_mova

    return types.SimpleNamespace(
        wan_video_dit=wan_video_dit, wan_audio_dit=wan_audio_dit, interactionv2=interactionv2, dac_vae=dac_vae,
        flow_match_pair=flow_match_pair, pipeline_mova=pipeline_mova)
