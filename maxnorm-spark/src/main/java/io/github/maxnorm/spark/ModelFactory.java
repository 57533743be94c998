package io.github.maxnorm.spark;

import io.github.maxnorm.model.Model;
import java.io.Serializable;

/**
 * Makes the compiled model of a sweep setting; it runs on the executors, so it must be
 * serializable (a lambda assigned to this type is). The model may be unbuilt: training builds it
 * with weights drawn from the setting's seed.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
  Model create(SweepSetting setting);
}
