"""Generates the Pillow bicubic reference data for ReferenceImageLoaderTests.

Run with a Python that has Pillow (Debian: /usr/bin/python3 + python3-pil). For each case it writes the input
PNG and the expected packed RGB bytes of: convert("RGB"), centre crop to the target aspect (MOVA's
crop_and_resize rule, SPEC 4.1), then Image.resize((W, H), Image.BICUBIC).
"""
import json
import random

from PIL import Image, __version__ as pillow_version

CASES = [
    ("wide_down", 97, 61, 64, 32, "RGB"),
    ("tall_down", 50, 131, 32, 48, "RGB"),
    ("up", 20, 14, 48, 32, "RGB"),
    ("strong_down_rgba", 300, 200, 32, 32, "RGBA"),
]


def crop_for_aspect(img, width, height):
    w, h = img.size
    if h / w < height / width:
        cw = int(h / height * width)
        left = (w - cw) // 2
        return img.crop((left, 0, left + cw, h))
    ch = int(w / width * height)
    top = (h - ch) // 2
    return img.crop((0, top, w, top + ch))


manifest = {"pillow": pillow_version, "cases": []}
rng = random.Random(1234)
for name, w, h, tw, th, mode in CASES:
    channels = len(mode)
    data = bytes(rng.randrange(256) if rng.random() < 0.3 else ((x * 7 + y * 3 + c * 50) % 256)
                 for y in range(h) for x in range(w) for c in range(channels))
    img = Image.frombytes(mode, (w, h), data)
    img.save(f"{name}.png")
    out = crop_for_aspect(Image.open(f"{name}.png").convert("RGB"), tw, th).resize((tw, th), Image.BICUBIC)
    with open(f"{name}.rgb", "wb") as f:
        f.write(out.tobytes())
    manifest["cases"].append({"name": name, "width": w, "height": h, "target_width": tw, "target_height": th, "mode": mode})

with open("manifest.json", "w") as f:
    json.dump(manifest, f, indent=1)
