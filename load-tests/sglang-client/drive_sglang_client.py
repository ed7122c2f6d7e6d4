"""Drives MOVA's own workflow client (workflow/sglang_client.py, unchanged, imported from PYTHONPATH) against a
MovaCluster gateway the way the workflow app does: submit with the client's defaults (640x360, 193 frames, 24 fps,
guidance 5.0, 50 steps, a random seed), wait for completion, ask for the download URL, download, list.

Usage: drive_sglang_client.py SERVER_KEY IMAGE_PATH SAVE_PATH
Prints one JSON object as the last line of stdout (the client prints progress lines before it)."""

import json
import sys

from sglang_client import SGLangClient


def main():
    server_key, image_path, save_path = sys.argv[1:4]
    client = SGLangClient(server_key)
    task = client.submit_video_task(prompt="A lighthouse keeper waves from the gallery as waves break below.", image_path=image_path)
    done = client.wait_for_completion(task.id, poll_interval=1, timeout=300)
    url = client.get_download_url(task.id)
    saved = client.download_video(task.id, save_path)
    listed = client.list_videos(limit=10)
    print(json.dumps({
        "id": task.id,
        "submitted_status": task.status,
        "status": done.status,
        "error": done.error,
        "download_url": url,
        "saved": saved,
        "listed": [item.id for item in listed],
    }))


if __name__ == "__main__":
    main()
