/**
 * The on-disk model format: a subset of the safetensors tensor container ({@link
 * io.github.maxnorm.io.SafeTensors}) and a versioned zip archive holding a model's configuration,
 * weights, optimizer slots and training state ({@link io.github.maxnorm.io.ModelFiles}).
 *
 * <p>Readers treat every file as untrusted: they validate sizes against the bytes actually present
 * before allocating, never deserialize Java objects and never run code from a file. Problems with a
 * file's contents are reported as {@link io.github.maxnorm.io.ModelFormatException}. Writers that
 * take a {@link java.nio.file.Path} replace the target atomically.
 */
package io.github.maxnorm.io;
