/**
 * Model files of other systems. {@link io.github.maxnorm.interop.KerasFiles} reads any supported
 * container by its content and writes any of them; the formats live in {@code interop.keras} and
 * {@code interop.tfjs}. Documentation: {@code docs/interop.md}.
 */
package io.github.maxnorm.interop;
