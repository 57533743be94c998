package io.github.maxnorm.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An immutable table from registered class names to builders that turn a {@link Config} into a
 * component of kind {@code T}. It is the one mechanism by which every kind of component
 * (constraints, initializers, regularizers, and later layers, optimizers and losses) is rebuilt
 * from its Keras-form configuration.
 *
 * <p>Each entry has a canonical class name (Keras's, e.g. {@code MaxNorm}) and may have aliases
 * (e.g. {@code max_norm}). Look-up ignores case and underscores, so {@code MaxNorm}, {@code
 * max_norm}, {@code maxnorm} and {@code MAX_NORM} all name the same entry; explicit aliases cover
 * names that differ otherwise (e.g. {@code normal} for {@code RandomNormal}). Two entries whose
 * names collide under this rule are rejected when the registry is made.
 *
 * <p>A registry is a value: {@link #with} returns an extended copy and never changes the original,
 * so the built-in registries ({@code Constraints.registry()} and the like) are constants, and a
 * program that adds its own components passes its extended registry where it is needed.
 *
 * <pre>{@code
 * Registry<Constraint> mine = Constraints.registry().with("Clip", c -> new Clip(c), "clip");
 * Constraint c = mine.build(new Config("Clip", Map.of()));
 * }</pre>
 *
 * @param <T> the kind of component built
 */
public final class Registry<T> {
  private final String kind;
  private final Map<String, Entry<T>> byKey;
  private final List<String> classNames;

  private record Entry<T>(String className, Function<Config, ? extends T> builder) {}

  private Registry(String kind, Map<String, Entry<T>> byKey, List<String> classNames) {
    this.kind = kind;
    this.byKey = byKey;
    this.classNames = classNames;
  }

  /**
   * An empty registry.
   *
   * @param kind what it builds, in words, for error messages (e.g. {@code constraint})
   */
  public static <T> Registry<T> empty(String kind) {
    if (kind == null || kind.isEmpty()) {
      throw new IllegalArgumentException("Registry: kind must not be empty");
    }
    return new Registry<>(kind, Map.of(), List.of());
  }

  /**
   * A copy of this registry with one more entry.
   *
   * @param className the canonical (Keras) class name, written into configs
   * @param builder makes the component from a config whose class name is any of the entry's names;
   *     it validates the config and throws IllegalArgumentException when it does not fit
   * @param aliases further names that look up this entry
   * @throws IllegalArgumentException when a name is empty or already taken
   */
  public Registry<T> with(
      String className, Function<Config, ? extends T> builder, String... aliases) {
    if (builder == null) {
      throw new IllegalArgumentException("Registry: builder for " + className + " is null");
    }
    Map<String, Entry<T>> map = new LinkedHashMap<>(byKey);
    Entry<T> entry = new Entry<>(className, builder);
    List<String> names = new ArrayList<>();
    names.add(className);
    names.addAll(List.of(aliases));
    for (String name : names) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException(
            "Registry of " + kind + "s: names must not be empty, received " + names);
      }
      Entry<T> old = map.get(key(name));
      if (old != null && old != entry) {
        throw new IllegalArgumentException(
            "Registry of " + kind + "s: name " + name + " is already taken by " + old.className());
      }
      map.put(key(name), entry);
    }
    List<String> classes = new ArrayList<>(classNames);
    classes.add(className);
    return new Registry<>(kind, Collections.unmodifiableMap(map), List.copyOf(classes));
  }

  /** What this registry builds, e.g. {@code constraint}. */
  public String kind() {
    return kind;
  }

  /** The canonical class names, in registration order. */
  public List<String> classNames() {
    return classNames;
  }

  /** Whether {@code name} (a class name or alias) is registered. */
  public boolean contains(String name) {
    return name != null && byKey.containsKey(key(name));
  }

  /**
   * The canonical class name that {@code name} refers to.
   *
   * @throws IllegalArgumentException naming the known class names when {@code name} is unknown
   */
  public String canonicalName(String name) {
    return entry(name).className();
  }

  /**
   * Builds the component that {@code config} describes. The builder receives the config with its
   * class name replaced by the canonical one.
   *
   * @throws IllegalArgumentException when the class name is unknown (the message lists the known
   *     names) or the builder rejects the config
   */
  public T build(Config config) {
    if (config == null) {
      throw new IllegalArgumentException("Registry of " + kind + "s: config must not be null");
    }
    Entry<T> e = entry(config.className());
    Config canonical =
        e.className().equals(config.className()) ? config : new Config(e.className(), config.config());
    return e.builder().apply(canonical);
  }

  /** Builds the component named {@code name} with its default arguments (Keras's string form). */
  public T build(String name) {
    return build(new Config(name, Map.of()));
  }

  private Entry<T> entry(String name) {
    Entry<T> e = name == null ? null : byKey.get(key(name));
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown " + kind + " " + (name == null ? "null" : "'" + name + "'") + "; known: "
              + String.join(", ", classNames));
    }
    return e;
  }

  private static String key(String name) {
    return name.replace("_", "").toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "Registry(" + kind + "s: " + String.join(", ", classNames) + ")";
  }
}
