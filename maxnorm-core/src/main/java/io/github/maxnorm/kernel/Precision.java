package io.github.maxnorm.kernel;

import org.bytedeco.dnnl.global.dnnl;

/**
 * The arithmetic of a matrix product or a convolution: operands, result and accumulation in
 * float32; or operands rounded to bfloat16 (to nearest even) and multiplied with float32
 * accumulation into a float32 result, which oneDNN runs on AVX-512 BF16 or AMX instructions. The
 * caller's arrays are float32 either way: the library converts copies of the operands to bfloat16
 * inside native memory, just before the product.
 */
public enum Precision {
  /** float32 operands, float32 accumulation. */
  FLOAT32,
  /** Operands rounded to bfloat16, float32 accumulation, float32 result. */
  BFLOAT16;

  private static volatile String unsupported;
  private static volatile boolean probed;

  /**
   * Whether this precision can run here: always for {@link #FLOAT32}; for {@link #BFLOAT16} when
   * the instruction set oneDNN dispatches to includes AVX-512 BF16 (which AMX machines also have).
   * oneDNN's answer honours {@code ONEDNN_MAX_CPU_ISA}, so a capped ISA counts as unsupported.
   */
  public boolean supported() {
    return this == FLOAT32 || bf16Problem() == null;
  }

  /**
   * Fails with a one-sentence message when this precision cannot run here.
   *
   * @throws UnsupportedOperationException naming the CPU instruction set oneDNN found
   */
  public void requireSupported() {
    if (this == BFLOAT16 && bf16Problem() != null) {
      throw new UnsupportedOperationException(bf16Problem());
    }
  }

  /** Why bfloat16 cannot run here, or null when it can. */
  public static String bfloat16Unsupported() {
    return bf16Problem();
  }

  private static String bf16Problem() {
    if (!probed) {
      synchronized (Precision.class) {
        if (!probed) {
          Native.ensureLoaded();
          int isa = dnnl.dnnl_get_effective_cpu_isa();
          int need = dnnl.dnnl_cpu_isa_avx512_core_bf16;
          unsupported = (isa & need) == need ? null
              : "bfloat16 needs a CPU with AVX-512 BF16 or AMX instructions; oneDNN found only "
                  + isaName(isa) + " here";
          probed = true;
        }
      }
    }
    return unsupported;
  }

  /** oneDNN's name for an instruction-set value, e.g. {@code avx512_core}. */
  static String isaName(int isa) {
    int[] values = {dnnl.dnnl_cpu_isa_avx10_2_512_amx_2, dnnl.dnnl_cpu_isa_avx10_2_512,
        dnnl.dnnl_cpu_isa_avx512_core_amx_fp16, dnnl.dnnl_cpu_isa_avx512_core_amx,
        dnnl.dnnl_cpu_isa_avx512_core_fp16, dnnl.dnnl_cpu_isa_avx512_core_bf16,
        dnnl.dnnl_cpu_isa_avx512_core_vnni, dnnl.dnnl_cpu_isa_avx512_core,
        dnnl.dnnl_cpu_isa_avx2_vnni_2, dnnl.dnnl_cpu_isa_avx2_vnni, dnnl.dnnl_cpu_isa_avx2,
        dnnl.dnnl_cpu_isa_avx, dnnl.dnnl_cpu_isa_sse41};
    String[] names = {"avx10_2_512_amx_2", "avx10_2_512", "avx512_core_amx_fp16",
        "avx512_core_amx", "avx512_core_fp16", "avx512_core_bf16", "avx512_core_vnni",
        "avx512_core", "avx2_vnni_2", "avx2_vnni", "avx2", "avx", "sse41"};
    for (int i = 0; i < values.length; i++) {
      if ((isa & values[i]) == values[i]) {
        return names[i];
      }
    }
    return "no vector extension oneDNN uses (isa 0x" + Integer.toHexString(isa) + ")";
  }
}
