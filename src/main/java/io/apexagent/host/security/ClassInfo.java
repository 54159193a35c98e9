package io.apexagent.host.security;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The shape of one class for member resolution: its supertypes and the members it declares.
 *
 * @param name       internal name ({@code java/lang/Thread})
 * @param superName  internal name of the superclass, null for {@code java/lang/Object}
 * @param interfaces internal names of the direct interfaces
 * @param members    declared members as {@code name + descriptor}
 */
record ClassInfo(String name, String superName, List<String> interfaces, Set<String> members) {

    /** @return the header of a class file (code is skipped) */
    static ClassInfo read(ClassReader reader) {
        Set<String> members = new HashSet<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String n, String desc, String signature, Object value) {
                members.add(n + desc);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String n, String desc, String signature, String[] exceptions) {
                members.add(n + desc);
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new ClassInfo(reader.getClassName(), reader.getSuperName(), List.of(reader.getInterfaces()),
                Set.copyOf(members));
    }

    boolean declares(String member, String desc) {
        return members.contains(member + desc);
    }
}
