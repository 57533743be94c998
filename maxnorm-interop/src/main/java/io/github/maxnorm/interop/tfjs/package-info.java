/** TensorFlow.js layers models ({@code model.json} and binary weight shards) in and out. */
package io.github.maxnorm.interop.tfjs;
