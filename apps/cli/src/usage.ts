/** The one usage text: printed by --help (stdout) and after every argument error (stderr). */
export const USAGE = `Usage: ocellus <command> [options]

Commands:
  devices [--json]              every known backend, available or not (with the reason), and its devices
  doctor [--json]               check Node, pnpm, onnxruntime-node, Vulkan, WebGPU, CUDA and ROCm: ok/missing + fix
  gray <image> -o <out.png>     write the grey version of an image
  edges <image> -o <out.png>    write the Canny edge map of an image (grayscale, then canny)
  demo [image]                  list devices, then write <name>.gray.png and <name>.edges.png next to
                                the image with the time of each step (default: samples/grace_hopper.jpg)
  classify <images...> --model resnet50|mobilenetv3 --weights <model.onnx> [--top 5] [--json]
                                the top classes of each image (ImageNet labels)
  detect <images...> --weights <yolov8s.onnx> [--conf 0.25] [--iou 0.7] [--classes list]
         [-o annotated.png] [--json]
                                the objects in each image (COCO labels), boxes in image pixels;
                                -o draws the labelled boxes on the (one) image
  ocr <images...> [--json] [-o annotated.png] [--no-cls]
      [--det-model f.onnx --rec-model f.onnx --cls-model f.onnx --dict keys.txt]
                                the text of each image (PP-OCRv4, bundled), lines in reading order
                                with their polygons; -o draws them on the (one) image
  stream <sources...> --model yolov8s|resnet50|mobilenetv3 --weights <model.onnx> [--json] [-o out.mp4]
         [--lanes N] [--priority realtime|normal|batch] [--max-frames N] [--duration S] [--width W]
                                run the model on every frame of video files, RTSP/HTTP streams or V4L2
                                devices at once through one scheduler; a summary at the end
  export <resnet50|mobilenetv3|yolov8s> -o <model.onnx> [--seed N]
                                write the model with architecture-only (seeded random) weights

  classify, detect and stream need trained weights exported to ONNX (run them without --weights to see how),
  or --architecture-only [--seed N]: seeded random weights, labelled as such; predictions are meaningless.

Options:
  -o, --output <file>   output image: .png, .jpg, .jpeg or .webp (export: an .onnx file; stream: an
                        annotated .mp4, .mkv, .mov or .avi of the one source)
  --backend <spec>      auto (default), a backend (cpu), a device (vulkan:1) or a chain (vulkan,cpu)
  --max-pixels <n>      commands that read images: refuse larger ones (default 100000000, from the header)
  --low <n>             edges: hysteresis low threshold (default 50)
  --high <n>            edges: hysteresis high threshold (default 150)
  --l2                  edges: L2 gradient norm instead of |dx| + |dy|
  --blur <k>            edges: Gaussian blur with odd kernel size k first (default 0: none)
  --json                devices, doctor, classify, detect, ocr: print JSON; stream: one JSON line per
                        frame, then a {"summary"} line
  --model <name>        classify: resnet50 or mobilenetv3; detect: yolov8s (the default); stream: any
  --weights <file>      classify, detect, stream: the model's .onnx file
  --architecture-only   classify, detect, stream: seeded random weights instead (meaningless predictions)
  --seed <n>            classify, detect, stream (with --architecture-only), export: weight seed (default 0)
  --top <k>             classify: how many classes (default 5)
  --conf <p>            detect: confidence threshold (default 0.25)
  --iou <p>             detect: NMS IoU threshold (default 0.7)
  --classes <list>      detect: keep only these classes: indices or COCO names (0,2,dog)
  --lanes <n>           stream: pipelines per --backend device (default 1); --backend cpu,vulkan:0
                        gives one lane per listed device (instead of a fallback chain)
  --priority <class>    stream: scheduler class of the frames: realtime, normal (default) or batch
  --max-frames <n>      stream: stop each source after n frames
  --duration <s>        stream: stop every source after s seconds
  --width <w>           stream: scale frames to this width (aspect ratio kept)
  --ffmpeg <path>       stream: the ffmpeg binary (default: $OCELLUS_FFMPEG, else ffmpeg on PATH)
  --no-cls              ocr: skip the 0/180-degree text direction classifier
  --det-model <file>    ocr: PP-OCR detection model (also --rec-model, --cls-model, --dict <keys.txt>
                        for another language's PP-OCR models; default: bundled PP-OCRv4)
  --verbose             say why backends were passed over (otherwise one short line)
  -h, --help            print this help (after a command: that command's)
  --version             print the version

Exit status: 0 done, 1 failed (unreadable image or model, unavailable backend...), 2 bad arguments,
130/143 interrupted by Ctrl-C/SIGTERM (the output being written is removed, never left half-written;
stream stops its sources, finishes the frames in flight and prints its summary first).
`;
