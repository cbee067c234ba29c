import type { PixelHeader } from '../../main/api/pixelFormat.js';
import { invert, type Affine, type WindowLevel } from './viewTransform.js';

/** What one frame needs: where the image goes on screen and how its values map to grey. */
export interface FrameParams {
  /** Image pixels → viewport CSS pixels. */
  imageToViewport: Affine;
  window: WindowLevel;
  /** Final inversion (the header's MONOCHROME1 flag already combined with the user's toggle). */
  invert: boolean;
}

/** Draws stored pixel values with window/level; WebGL2 when the browser has it, Canvas 2D otherwise. */
export interface PixelRenderer {
  readonly kind: 'webgl2' | 'canvas2d';
  setImage(header: PixelHeader, stored: Uint16Array): void;
  /** Draws one frame at the canvas's current backing size (CSS size × devicePixelRatio). */
  draw(params: FrameParams): void;
  dispose(): void;
}

const VERTEX = `#version 300 es
in vec2 aPos;
void main() { gl_Position = vec4(aPos, 0.0, 1.0); }`;

// The stored values are uploaded untouched as R16UI; modality LUT (slope/intercept), VOI window and inversion run
// per fragment, so a window/level drag is one uniform change and one draw. Integer textures cannot be filtered by
// the hardware, so bilinear interpolation is done here from four texelFetch reads.
const FRAGMENT = `#version 300 es
precision highp float;
precision highp int;
precision highp usampler2D;
uniform usampler2D uTex;
uniform mat3 uScreenToImage;
uniform float uCanvasHeight;
uniform ivec2 uSize;
uniform float uSlope;
uniform float uIntercept;
uniform float uCenter;
uniform float uWidth;
uniform bool uInvert;
out vec4 outColor;
float texel(ivec2 p) { return float(texelFetch(uTex, clamp(p, ivec2(0), uSize - 1), 0).r); }
void main() {
  vec2 screen = vec2(gl_FragCoord.x, uCanvasHeight - gl_FragCoord.y);
  vec2 img = (uScreenToImage * vec3(screen, 1.0)).xy;
  if (img.x < 0.0 || img.y < 0.0 || img.x >= float(uSize.x) || img.y >= float(uSize.y)) {
    outColor = vec4(0.0, 0.0, 0.0, 1.0);
    return;
  }
  vec2 t = img - 0.5;
  ivec2 i0 = ivec2(floor(t));
  vec2 f = fract(t);
  float v = mix(mix(texel(i0), texel(i0 + ivec2(1, 0)), f.x), mix(texel(i0 + ivec2(0, 1)), texel(i0 + ivec2(1, 1)), f.x), f.y);
  float m = v * uSlope + uIntercept;
  float w = max(uWidth, 1.0);
  float g = w <= 1.0 ? step(uCenter - 0.5, m) : clamp((m - (uCenter - 0.5)) / (w - 1.0) + 0.5, 0.0, 1.0);
  if (uInvert) g = 1.0 - g;
  outColor = vec4(g, g, g, 1.0);
}`;

/**
 * Creates the best renderer the canvas supports; throws only when neither WebGL2 nor 2D is available. `prefer`
 * forces the 2D fallback (the viewer benchmark compares the two; `?renderer=canvas2d` in the page address).
 */
export function createPixelRenderer(canvas: HTMLCanvasElement, prefer: 'webgl2' | 'canvas2d' = 'webgl2'): PixelRenderer {
  const gl = prefer === 'webgl2' ? canvas.getContext('webgl2', { antialias: false, depth: false, stencil: false, preserveDrawingBuffer: false }) : null;
  if (gl) return new WebGl2Renderer(canvas, gl);
  const ctx = canvas.getContext('2d');
  if (ctx) return new Canvas2dRenderer(canvas, ctx);
  throw new Error('this browser can draw neither WebGL2 nor a 2D canvas');
}

// Preferred path where the GPU can filter float textures (OES_texture_float_linear, near universal on desktop):
// modality values uploaded once as R32F, hardware bilinear filtering, one texture read per fragment.
const FRAGMENT_FLOAT = `#version 300 es
precision highp float;
uniform sampler2D uTex;
uniform mat3 uScreenToImage;
uniform float uCanvasHeight;
uniform ivec2 uSize;
uniform float uCenter;
uniform float uWidth;
uniform bool uInvert;
out vec4 outColor;
void main() {
  vec2 screen = vec2(gl_FragCoord.x, uCanvasHeight - gl_FragCoord.y);
  vec2 img = (uScreenToImage * vec3(screen, 1.0)).xy;
  vec2 size = vec2(uSize);
  if (img.x < 0.0 || img.y < 0.0 || img.x >= size.x || img.y >= size.y) {
    outColor = vec4(0.0, 0.0, 0.0, 1.0);
    return;
  }
  float m = texture(uTex, img / size).r;
  float w = max(uWidth, 1.0);
  float g = w <= 1.0 ? step(uCenter - 0.5, m) : clamp((m - (uCenter - 0.5)) / (w - 1.0) + 0.5, 0.0, 1.0);
  if (uInvert) g = 1.0 - g;
  outColor = vec4(g, g, g, 1.0);
}`;

class WebGl2Renderer implements PixelRenderer {
  readonly kind = 'webgl2' as const;
  private readonly program: WebGLProgram;
  private readonly texture: WebGLTexture;
  private readonly uniforms: Record<string, WebGLUniformLocation | null> = {};
  private header: PixelHeader | null = null;
  /** R32F with hardware filtering when the GPU can filter floats; R16UI with bilinear in the shader otherwise. */
  readonly texelFormat: 'r32f' | 'r16ui';

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly gl: WebGL2RenderingContext,
  ) {
    this.texelFormat = gl.getExtension('OES_texture_float_linear') ? 'r32f' : 'r16ui';
    const fragment = this.texelFormat === 'r32f' ? FRAGMENT_FLOAT : FRAGMENT;
    this.program = link(gl, compile(gl, gl.VERTEX_SHADER, VERTEX), compile(gl, gl.FRAGMENT_SHADER, fragment));
    gl.useProgram(this.program);
    for (const name of ['uTex', 'uScreenToImage', 'uCanvasHeight', 'uSize', 'uSlope', 'uIntercept', 'uCenter', 'uWidth', 'uInvert']) {
      this.uniforms[name] = gl.getUniformLocation(this.program, name);
    }
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    const loc = gl.getAttribLocation(this.program, 'aPos');
    gl.enableVertexAttribArray(loc);
    gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
    const texture = gl.createTexture();
    if (!texture) throw new Error('WebGL2: cannot create a texture');
    this.texture = texture;
  }

  setImage(header: PixelHeader, stored: Uint16Array): void {
    const gl = this.gl;
    const max = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (header.width > max || header.height > max) {
      throw new Error(`image ${header.width}×${header.height} exceeds this GPU's texture limit of ${max}`);
    }
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    // Rows of an odd width are not 4-byte aligned.
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    const filter = this.texelFormat === 'r32f' ? gl.LINEAR : gl.NEAREST;
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, filter);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, filter);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    if (this.texelFormat === 'r32f') {
      // Modality values (stored × slope + intercept) are exact in float32 for any 16-bit stored value.
      const values = new Float32Array(stored.length);
      const { slope, intercept } = header;
      for (let i = 0; i < stored.length; i++) values[i] = stored[i]! * slope + intercept;
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, header.width, header.height, 0, gl.RED, gl.FLOAT, values);
    } else {
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.R16UI, header.width, header.height, 0, gl.RED_INTEGER, gl.UNSIGNED_SHORT, stored);
    }
    this.header = header;
  }

  draw(params: FrameParams): void {
    const { gl, canvas, header } = this;
    gl.viewport(0, 0, canvas.width, canvas.height);
    gl.clearColor(0, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (!header) return;
    const dpr = canvas.clientWidth > 0 ? canvas.width / canvas.clientWidth : 1;
    // Fragment coordinates are device pixels; the view matrix works in CSS pixels.
    const m = invert(params.imageToViewport);
    const s = 1 / dpr;
    const u = this.uniforms;
    gl.useProgram(this.program);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.uniform1i(u.uTex!, 0);
    gl.uniformMatrix3fv(u.uScreenToImage!, false, [m[0] * s, m[1] * s, 0, m[2] * s, m[3] * s, 0, m[4], m[5], 1]);
    gl.uniform1f(u.uCanvasHeight!, canvas.height);
    gl.uniform2i(u.uSize!, header.width, header.height);
    if (u.uSlope) gl.uniform1f(u.uSlope, header.slope);
    if (u.uIntercept) gl.uniform1f(u.uIntercept, header.intercept);
    gl.uniform1f(u.uCenter!, params.window.center);
    gl.uniform1f(u.uWidth!, params.window.width);
    gl.uniform1i(u.uInvert!, params.invert ? 1 : 0);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  dispose(): void {
    this.gl.deleteTexture(this.texture);
    this.gl.deleteProgram(this.program);
  }
}

/**
 * Fallback for browsers without WebGL2 (or with it blocked): a 65,536-entry lookup table from stored value to grey
 * is rebuilt per window change, the full-resolution image is written to an offscreen canvas, and the 2D context
 * draws it with the view matrix. Slower on drags, same picture.
 */
class Canvas2dRenderer implements PixelRenderer {
  readonly kind = 'canvas2d' as const;
  private header: PixelHeader | null = null;
  private stored: Uint16Array | null = null;
  private readonly offscreen = document.createElement('canvas');
  private lastKey = '';

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly ctx: CanvasRenderingContext2D,
  ) {}

  setImage(header: PixelHeader, stored: Uint16Array): void {
    this.header = header;
    this.stored = stored;
    this.offscreen.width = header.width;
    this.offscreen.height = header.height;
    this.lastKey = '';
  }

  draw(params: FrameParams): void {
    const { ctx, canvas, header, stored } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!header || !stored) return;
    const key = `${params.window.center}/${params.window.width}/${params.invert}`;
    if (key !== this.lastKey) {
      this.lastKey = key;
      const lut = new Uint8Array(65536);
      const lo = params.window.center - 0.5;
      const w = Math.max(params.window.width - 1, 1);
      for (let s = 0; s < 65536; s++) {
        let g = ((s * header.slope + header.intercept - lo) / w + 0.5) * 255;
        g = g < 0 ? 0 : g > 255 ? 255 : g;
        lut[s] = params.invert ? 255 - g : g;
      }
      const octx = this.offscreen.getContext('2d')!;
      const data = octx.createImageData(header.width, header.height);
      const px = data.data;
      for (let i = 0, j = 0; i < stored.length; i++, j += 4) {
        const g = lut[stored[i]!]!;
        px[j] = g;
        px[j + 1] = g;
        px[j + 2] = g;
        px[j + 3] = 255;
      }
      octx.putImageData(data, 0, 0);
    }
    const dpr = canvas.clientWidth > 0 ? canvas.width / canvas.clientWidth : 1;
    const m = params.imageToViewport;
    ctx.setTransform(m[0] * dpr, m[1] * dpr, m[2] * dpr, m[3] * dpr, m[4] * dpr, m[5] * dpr);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.offscreen, 0, 0);
  }

  dispose(): void {
    this.header = null;
    this.stored = null;
  }
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('WebGL2: cannot create a shader');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    throw new Error(`WebGL2 shader does not compile: ${gl.getShaderInfoLog(shader) ?? ''}`);
  }
  return shader;
}

function link(gl: WebGL2RenderingContext, vs: WebGLShader, fs: WebGLShader): WebGLProgram {
  const program = gl.createProgram();
  gl.attachShader(program, vs);
  gl.attachShader(program, fs);
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    throw new Error(`WebGL2 program does not link: ${gl.getProgramInfoLog(program) ?? ''}`);
  }
  return program;
}
