// Whether this browser can give us a WebGL context at all (three/r3f throw without one), and
// whether it renders in software (SwiftShader, llvmpipe): there multisampling costs half the frame rate.
export interface WebglSupport {
  available: boolean;
  software: boolean;
  renderer: string;
}

let cached: WebglSupport | null = null;

export function webglSupport(): WebglSupport {
  if (cached) return cached;
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return (cached = { available: false, software: false, renderer: '' });
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    cached = { available: true, software: /swiftshader|llvmpipe|softpipe|software/i.test(renderer), renderer };
    // hand the probe context back at once: browsers cap live contexts per page
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    cached = { available: false, software: false, renderer: '' };
  }
  return cached;
}

export function webglAvailable(): boolean {
  return webglSupport().available;
}
