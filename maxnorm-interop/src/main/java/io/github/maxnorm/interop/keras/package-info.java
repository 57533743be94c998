/**
 * Keras model files in and out, without building models: the containers ({@code .h5} of Keras 1, 2
 * and 3, {@code .keras} zips and folders, Keras 3 weights files) read into and written from one
 * neutral form ({@link io.github.maxnorm.interop.keras.KerasModelFile}), and the normalization of
 * configs and weights of every Keras version to tf.keras 2's form ({@link
 * io.github.maxnorm.interop.keras.KerasNormalizer}). Every file is untrusted: readers check sizes
 * before allocating, never follow HDF5 links, never run code, and report a broken file as a {@link
 * io.github.maxnorm.io.ModelFormatException} naming the file (and the layer).
 */
package io.github.maxnorm.interop.keras;
