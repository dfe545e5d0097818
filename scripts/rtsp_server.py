#!/usr/bin/python3
"""A loopback-only RTSP server for tests and benchmarks (gst-rtsp-server through python3-gi).

    /usr/bin/python3 scripts/rtsp_server.py --port 8554 --path cam --clip clip.mp4
    /usr/bin/python3 scripts/rtsp_server.py --port 8554 --path cam --pattern [--size 320x240 --fps 30]

Serves rtsp://127.0.0.1:<port>/<path> (H.264, x264enc tune=zerolatency, RTP over RTSP; clients use
-rtsp_transport tcp). Each client gets its own pipeline, starting at the clip's first frame and ending (EOS)
at its last; --pattern serves an endless live test pattern instead. The clip is not looped: segment-seek
looping made gst-rtsp-server 1.22 abort (gst_rtsp_media_get_rates assertion) when clients came and went fast.
Prints "ready" on stdout once listening; exits 0 on SIGTERM or SIGINT. Binds 127.0.0.1 only.
Needs: python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,ugly} gstreamer1.0-libav.
"""

import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

ENCODE = "videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} ! rtph264pay name=pay0 pt=96"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="stream")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--clip", help="video file to serve")
    src.add_argument("--pattern", action="store_true", help="serve a live videotestsrc pattern")
    ap.add_argument("--size", default="320x240", help="pattern size WxH")
    ap.add_argument("--fps", type=int, default=30, help="pattern rate; also the H.264 GOP length")
    args = ap.parse_args()

    Gst.init(None)
    if args.pattern:
        w, h = (int(v) for v in args.size.split("x"))
        launch = (
            f"( videotestsrc is-live=true pattern=ball ! video/x-raw,width={w},height={h},framerate={args.fps}/1 ! "
            + ENCODE.format(gop=args.fps)
            + " )"
        )
    else:
        clip = os.path.abspath(args.clip)
        if not os.path.isfile(clip):
            print(f"no such clip: {clip}", file=sys.stderr)
            return 2
        loc = clip.replace("\\", "\\\\").replace('"', '\\"')
        launch = f'( filesrc location="{loc}" ! decodebin ! ' + ENCODE.format(gop=args.fps) + " )"

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")  # loopback only, never any other address
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(False)

    server.get_mount_points().add_factory("/" + args.path.lstrip("/"), factory)
    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{args.port}", file=sys.stderr)
        return 1

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print("ready", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
