#!/usr/bin/python3
"""Derives a second codec golden set (codec-goldens/1 format) from an existing one without new upstream outputs:
cases renamed, reordered and some dropped, and the tokenizer case cut to a subset of its prompts at a shorter
max_length. Only transformations whose results follow exactly from what the set stores are made: the truncated ids
and masks are recomputed from each prompt's full id list with the rule the case documents (ids[:L-1] + </s>, padded
with 0), and checked to reproduce the stored arrays at the original length first.

What such a set cannot change: the widths, layer counts and bucket constants of the VAE and UMT5 (their outputs would
need diffusers / transformers, which Debian does not package). Only the python3 standard library is needed.

  make_codec_variant.py --source ../shared/goldens/codecs-tiny --out /tmp/codecs-variant
  MOVA_CODEC_GOLDENS=/tmp/codecs-variant dotnet test tests/MovaCluster.Model.Tests
"""
import argparse
import json
import os
import shutil
import struct

RENAME = {  # source case -> variant case; cases not listed are dropped
    "umt5_long": "text_long",
    "decode_t2_nonsquare": "vae_dec_wide",
    "tokenizer": "prompts",
    "latent_norm": "norm",
    "encode_f5_nonsquare": "vae_enc_wide",
    "condition_f9": "first_frame",
    "umt5_batch": "text_batch",
    "decode_t3": "vae_dec_3",
}
MAX_LENGTH = 24


def read(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        return header, f.read()


def write(path, header, data):
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        f.write(data)


def pad(ids, length):
    ids = ids[: length - 1] + [1] if len(ids) >= length else ids + [1]
    return ids + [0] * (length - len(ids)), [1] * len(ids) + [0] * (length - len(ids))


def fields(prompt, length):
    """Every id/mask row of one prompt at max_length, from its untruncated ids."""
    out = {}
    out["input_ids"], out["attention_mask"] = pad(prompt["spm_ids"], length)
    out["input_ids_no_byte_fallback"], out["attention_mask_no_byte_fallback"] = pad(prompt["spm_ids_no_byte_fallback"], length)
    for mode, hf in prompt.get("hf_tokenizers", {}).items():
        assert hf["ids"][-1] == 1
        out[f"hf_tokenizers_{mode}.input_ids"], out[f"hf_tokenizers_{mode}.attention_mask"] = pad(hf["ids"][:-1], length)
    return out


def stored(prompt):
    out = {k: prompt[k] for k in ("input_ids", "attention_mask", "input_ids_no_byte_fallback", "attention_mask_no_byte_fallback")}
    for mode, hf in prompt.get("hf_tokenizers", {}).items():
        out[f"hf_tokenizers_{mode}.input_ids"], out[f"hf_tokenizers_{mode}.attention_mask"] = hf["input_ids"], hf["attention_mask"]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(os.path.join(args.source, "manifest.json")) as f:
        manifest = json.load(f)
    for folder in ("video_vae", "text_encoder", "tokenizer"):
        shutil.copytree(os.path.join(args.source, folder), os.path.join(args.out, folder))
    os.makedirs(os.path.join(args.out, "cases"))

    cases = {}
    for source, target in RENAME.items():
        entry = dict(manifest["cases"][source])
        header, data = read(os.path.join(args.source, entry["file"]))
        entry["file"] = f"cases/{target}.safetensors"
        if "json" in entry:
            header, data, entry = tokenizer_case(args.source, args.out, target, entry)
        header["__metadata__"] = {"case": target, "config": "variant", "derived_from": source}
        write(os.path.join(args.out, entry["file"]), header, data)
        entry["bytes"] = os.path.getsize(os.path.join(args.out, entry["file"]))
        cases[target] = entry
    manifest["cases"] = cases
    manifest["config_name"] = "variant"
    manifest["derived"] = ("make_codec_variant.py: cases renamed, reordered and dropped; the tokenizer case cut to every "
                           f"other prompt at max_length {MAX_LENGTH}; components unchanged")
    manifest["total_bytes_without_manifest"] = sum(
        os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(args.out) for name in names)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {len(cases)} cases to {args.out}")


def tokenizer_case(source, out, target, entry):
    with open(os.path.join(source, entry["json"])) as f:
        document = json.load(f)
    length = entry["params"]["max_length"]
    for prompt in document["prompts"]:  # the rule must reproduce what the set stores before it is trusted at another length
        assert fields(prompt, length) == stored(prompt), prompt["name"]
    prompts = document["prompts"][::2][::-1]
    rows = {}
    for prompt in prompts:
        recomputed = fields(prompt, MAX_LENGTH)
        for key, values in recomputed.items():
            rows.setdefault("output." + key, []).append(values)
        prompt.update({k: v for k, v in recomputed.items() if "." not in k})
        for mode, hf in prompt.get("hf_tokenizers", {}).items():
            hf["input_ids"], hf["attention_mask"] = recomputed[f"hf_tokenizers_{mode}.input_ids"], recomputed[f"hf_tokenizers_{mode}.attention_mask"]
        prompt["seq_len"] = sum(prompt["attention_mask"])
        prompt["truncated"] = len(prompt["spm_ids"]) >= MAX_LENGTH
    document["max_length"] = MAX_LENGTH
    document["prompts"] = prompts
    entry["json"] = f"cases/{target}_cases.json"
    with open(os.path.join(out, entry["json"]), "w") as f:
        json.dump(document, f, ensure_ascii=False, indent=1)
    entry["params"] = dict(entry["params"], max_length=MAX_LENGTH, prompt_names=[p["name"] for p in prompts])
    header, blobs, offset = {}, [], 0
    for name in sorted(rows):
        blob = b"".join(struct.pack(f"<{MAX_LENGTH}q", *row) for row in rows[name])
        header[name] = {"dtype": "I64", "shape": [len(prompts), MAX_LENGTH], "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    entry["tensors"] = {name: {"shape": [len(prompts), MAX_LENGTH], "dtype": "int64"} for name in sorted(rows)}
    entry["description"] = f"{len(prompts)} prompts (row order = {entry['json']} 'prompts'), ids padded/truncated to {MAX_LENGTH}."
    return header, b"".join(blobs), entry


if __name__ == "__main__":
    main()
