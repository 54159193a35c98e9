package io.apexagent.host.security;

import java.util.function.Consumer;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Walks one class file and reports every type and member it references: calls, field accesses,
 * method handles (also those inside {@code invokedynamic} and constant-dynamic bootstrap arguments, so
 * a method reference like {@code Runtime::exec} counts), supertypes and native methods. Single use.
 */
final class ReferenceCollector extends ClassVisitor {

    private final Consumer<CodeReference> sink;
    private String className;

    ReferenceCollector(Consumer<CodeReference> sink) {
        super(Opcodes.ASM9);
        this.sink = sink;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        className = name;
        if (superName != null) {
            sink.accept(declaration(CodeReference.Kind.EXTENDS, superName, "<init>"));
        }
        for (String i : interfaces) {
            sink.accept(declaration(CodeReference.Kind.IMPLEMENTS, i, "<implements>"));
        }
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
        if ((access & Opcodes.ACC_NATIVE) != 0) {
            sink.accept(new CodeReference(className, name, -1, CodeReference.Kind.NATIVE, className, name, desc));
        }
        return new MethodVisitor(Opcodes.ASM9) {
            private int line = -1;

            @Override
            public void visitLineNumber(int number, Label start) {
                line = number;
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String member, String d, boolean isInterface) {
                member(owner, member, d);
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String member, String d) {
                member(owner, member, d);
            }

            @Override
            public void visitInvokeDynamicInsn(String member, String d, Handle bootstrap, Object... arguments) {
                constant(bootstrap);
                for (Object a : arguments) {
                    constant(a);
                }
            }

            @Override
            public void visitLdcInsn(Object value) {
                constant(value);
            }

            private void constant(Object value) {
                if (value instanceof Handle h) {
                    member(h.getOwner(), h.getName(), h.getDesc());
                } else if (value instanceof ConstantDynamic c) {
                    constant(c.getBootstrapMethod());
                    for (int i = 0; i < c.getBootstrapMethodArgumentCount(); i++) {
                        constant(c.getBootstrapMethodArgument(i));
                    }
                }
            }

            private void member(String owner, String member, String d) {
                if (!owner.startsWith("[")) { // array members (clone, length) are harmless
                    sink.accept(new CodeReference(className, name, line, CodeReference.Kind.MEMBER, owner, member, d));
                }
            }
        };
    }

    private CodeReference declaration(CodeReference.Kind kind, String type, String member) {
        return new CodeReference(className, Violation.DECLARATION, -1, kind, type, member, "");
    }
}
