package dev.fleet.template;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Property access as Ansible sees it: a missing key or index, or anything of an undefined value, is
 * {@link Undefined}; Python's string methods work on strings; Java methods that could be abused
 * ({@code 'x'.repeat(...)}, reflection) are out of reach.
 */
final class StrictResolver extends ELResolver {
    private final ELResolver delegate;

    StrictResolver(ELResolver delegate) {
        this.delegate = delegate;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof Undefined) {
            context.setPropertyResolved(true);
            return base;
        }
        if (base instanceof Map<?, ?> map && !hasKey(map, property)) {
            context.setPropertyResolved(true);
            return missing(base, property);
        }
        Long index = index(property);
        if (base instanceof List<?> list && index != null && (index >= list.size() || index < -list.size())) {
            context.setPropertyResolved(true);
            return missing(base, index);
        }
        if (base instanceof CharSequence || base instanceof Number || base instanceof Boolean) {
            if (base instanceof CharSequence s && index != null) {
                long i = index < 0 ? index + s.length() : index;
                context.setPropertyResolved(true);
                return i >= 0 && i < s.length() ? String.valueOf(s.charAt((int) i)) : missing(base, index);
            }
            context.setPropertyResolved(true);
            return Undefined.noAttribute(Py.typeName(base), property);
        }
        return delegate.getValue(context, base, property);
    }

    private static Long index(Object property) {
        if (property instanceof Integer || property instanceof Long) return ((Number) property).longValue();
        if (property instanceof String s && !s.isEmpty() && s.length() < 19 && s.matches("-?\\d+")) {
            return Long.parseLong(s);
        }
        return null;
    }

    private static Undefined missing(Object base, Object property) {
        FleetInterpreter interp = FleetInterpreter.current();
        if (interp == null || interp.call == null) return new Undefined(String.valueOf(property));
        JinjaTemplater.Call call = interp.call;
        return new Undefined(() -> call.pathOf(base, property));
    }

    private static boolean hasKey(Map<?, ?> map, Object property) {
        if (property == null) return map.containsKey(null);
        if (map.containsKey(property)) return true;
        String s = property.toString();
        if (map.containsKey(s)) return true;
        if (property instanceof Number n && n.doubleValue() == n.longValue()) {
            long l = n.longValue();
            return map.containsKey(l) || (l == (int) l && map.containsKey((int) l));
        }
        return false;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base instanceof Undefined u) throw u.error();
        String name = String.valueOf(method);
        if (base instanceof CharSequence s) {
            Object r = StringMethods.stringMethod(s.toString(), name, params);
            context.setPropertyResolved(true);
            return r;
        }
        if (base instanceof Number || base instanceof Boolean || base instanceof Class<?>
                || base instanceof ClassLoader || base instanceof Thread) {
            throw new FilterFailure("'" + Py.typeName(base) + " object' has no attribute '"
                    + name + "'");
        }
        return delegate.invoke(context, base, method, paramTypes, params);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return delegate.getType(context, base, property);
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        delegate.setValue(context, base, property, value);
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return delegate.isReadOnly(context, base, property);
    }

    @Override
    public Iterator<java.beans.FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return delegate.getFeatureDescriptors(context, base);
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return delegate.getCommonPropertyType(context, base);
    }
}
