/** The one usage text: printed by --help (stdout) and after every argument error (stderr). */
export const USAGE = `Usage: ocellus <command> [options]

Commands:
  devices [--json]              every known backend, available or not (with the reason), and its devices
  gray <image> -o <out.png>     write the grey version of an image
  edges <image> -o <out.png>    write the Canny edge map of an image (grayscale, then canny)
  demo [image]                  list devices, then write <name>.gray.png and <name>.edges.png next to
                                the image with the time of each step (default: samples/grace_hopper.jpg)

Options:
  -o, --output <file>   output image: .png, .jpg, .jpeg or .webp
  --backend <spec>      auto (default), a backend (cpu), a device (vulkan:1) or a chain (vulkan,cpu)
  --low <n>             edges: hysteresis low threshold (default 50)
  --high <n>            edges: hysteresis high threshold (default 150)
  --l2                  edges: L2 gradient norm instead of |dx| + |dy|
  --blur <k>            edges: Gaussian blur with odd kernel size k first (default 0: none)
  --json                devices: print JSON
  -h, --help            print this help
  --version             print the version

Exit status: 0 done, 1 failed (unreadable image, unavailable backend...), 2 bad arguments.
`;
