package dev.plumb.catalog;

import java.lang.reflect.InvocationTargetException;
import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;

/**
 * Values Jackson builds with a constructor (every record of the catalog and the report) are built through core
 * reflection, not through Jackson's method handles. Jackson calls a constructor with
 * {@code MethodHandle.invokeWithArguments}, for which the JDK generates classes for each new constructor shape: 1 to 10
 * ms each in a fresh JVM, and no start-up archive keeps them. That was a good part of every short plumb run that reads
 * a catalog. Core reflection generates nothing when the JVM uses its native accessors, as bin/plumb runs it
 * ({@code -Djdk.reflect.useNativeAccessorOnly=true}), and otherwise costs what Jackson's way does. Failures are
 * reported as Jackson reports them.
 */
final class ReflectiveCreators extends ValueInstantiators.Base {

    /** The module that installs it in a mapper. */
    static final JacksonModule MODULE = new JacksonModule() {
        @Override
        public String getModuleName() {
            return "plumb-reflective-creators";
        }

        @Override
        public Version version() {
            return Version.unknownVersion();
        }

        @Override
        public void setupModule(SetupContext context) {
            context.addValueInstantiators(new ReflectiveCreators());
        }
    };

    @Override
    public ValueInstantiator modifyValueInstantiator(DeserializationConfig config, BeanDescription.Supplier description,
                                                     ValueInstantiator instantiator) {
        return instantiator.getClass() == StdValueInstantiator.class
                ? new Instantiator((StdValueInstantiator) instantiator) : instantiator;
    }

    /** Jackson's own instantiator, but for the call of a constructor with arguments. */
    private static final class Instantiator extends StdValueInstantiator {

        Instantiator(StdValueInstantiator jacksons) {
            super(jacksons);
        }

        @Override
        public Object createFromObjectWith(DeserializationContext context, Object[] arguments) {
            if (!(_withArgsCreator instanceof AnnotatedConstructor creator)) {
                return super.createFromObjectWith(context, arguments);
            }
            try {
                return creator.getAnnotated().newInstance(arguments);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                return problem(context, arguments, e.getCause());
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                // Arguments the constructor cannot take (Jackson made it accessible when it chose it as the creator).
                return problem(context, arguments, e);
            }
        }

        /** As Jackson reports a creator that threw: its problem handlers first, then a ValueInstantiationException. */
        private Object problem(DeserializationContext context, Object[] arguments, Throwable problem) {
            return context.handleInstantiationProblem(_valueClass, arguments, rewrapCtorProblem(context, problem));
        }
    }
}
