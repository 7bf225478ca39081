package dev.fleet.template;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * Variables as the engine should see them: every integer a Long. Template literals are Longs, while YAML and
 * modules give Integers, and Java's {@code List.equals} and {@code Map.equals} call {@code Integer(1)} and
 * {@code Long(1)} different, so {@code nums == [1, 2]} was false where Python says True. Lists and maps are
 * wrapped in read-only views that widen on access, so nothing is copied up front.
 */
final class WideNumbers {
    private WideNumbers() {}

    static Object widen(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
        if (v instanceof ListView || v instanceof MapView) return v;
        if (v instanceof List<?> l) return new ListView(l);
        if (v instanceof Map<?, ?> m) return new MapView(m);
        return v;
    }

    /** The value a view wraps (for finding a value among the variables by identity). */
    static Object unwrap(Object v) {
        if (v instanceof ListView l) return l.list;
        if (v instanceof MapView m) return m.map;
        return v;
    }

    private static final class ListView extends AbstractList<Object> implements RandomAccess {
        final List<?> list;

        ListView(List<?> list) {
            this.list = list;
        }

        @Override
        public Object get(int index) {
            return widen(list.get(index));
        }

        @Override
        public int size() {
            return list.size();
        }
    }

    private static final class MapView extends AbstractMap<Object, Object> {
        final Map<?, ?> map;

        MapView(Map<?, ?> map) {
            this.map = map;
        }

        @Override
        public Object get(Object key) {
            return widen(map.get(key));
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public java.util.Set<Entry<Object, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<Object, Object>> iterator() {
                    Iterator<? extends Entry<?, ?>> it = map.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<Object, Object> next() {
                            Entry<?, ?> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), widen(e.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return map.size();
                }
            };
        }
    }
}
