/** maxnorm on Apache Spark. */
package io.github.maxnorm.spark;
