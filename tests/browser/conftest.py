"""A Chromium whose camera films a QR code, for the pages that scan with the camera.

The fake camera plays a YUV4MPEG2 video made here from the code. This Chromium is launched
separately from the shared one, because the camera flags and the video file are per test; it
is launched through the same Playwright connection (a second sync Playwright in one thread is
not possible)."""

import pytest
import qrcode
from PIL import Image

from ..conftest import CHROMIUM, CHROMIUM_ARGS

WIDTH, HEIGHT = 640, 480


def write_y4m(path, payload: str, frames: int = 10) -> None:
    """A short greyscale video of the QR code; Chromium loops it as the camera picture."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10,
                         border=4)
    code.add_data(payload)
    qr = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    side = HEIGHT - 40
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr, ((WIDTH - side) // 2, 20))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)


@pytest.fixture
def camera_browser(browser, tmp_path):
    """launch(payload): a Chromium whose camera films the QR code of `payload`."""
    launched = []

    def launch(payload: str):
        video = tmp_path / f"code-{len(launched)}.y4m"
        write_y4m(video, payload)
        camera = browser.browser_type.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
            "--autoplay-policy=no-user-gesture-required",
        ])
        launched.append(camera)
        return camera

    yield launch
    for camera in launched:
        camera.close()
