package io.blackbox.bench.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.util.Locale;

/**
 * The device a training program trains on, from its {@code --device}: the engine's default without one (the first GPU
 * DJL finds, else the CPU); {@code cpu}; {@code gpu}, the first GPU; {@code gpu:N} (or DJL's own {@code gpuN}), the
 * N-th. A GPU the engine does not find is refused at the start rather than by PyTorch in the middle of a run.
 */
final class TrainingDevice
{
    private TrainingDevice()
    {
    }

    /**
     * @param name {@code --device}, or null for the engine's default.
     * @throws IllegalArgumentException naming the device, when it is none the engine has.
     */
    static Device of(final String name, final Engine engine)
    {
        if (name == null)
        {
            return engine.defaultDevice();
        }
        final Device parsed = parse(name.trim().toLowerCase(Locale.ROOT), engine);
        if (parsed != null && (Device.Type.CPU.equals(parsed.getDeviceType()) ||
            parsed.isGpu() && parsed.getDeviceId() >= 0 && parsed.getDeviceId() < engine.getGpuCount()))
        {
            return parsed;
        }
        throw new IllegalArgumentException("--device " + name + ": not cpu, gpu or gpu:N of the " +
            engine.getGpuCount() + " GPUs " + engine.getEngineName() + " finds");
    }

    /**
     * {@link #of(String, Engine)} for a program's {@code --device}: a device the engine lacks is a bad argument.
     */
    static Device of(final String name, final Engine engine, final CommandLine commandLine)
    {
        try
        {
            return of(name, engine);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(commandLine, ex.getMessage());
        }
    }

    /**
     * @return a device as {@code --device} spells it: cpu, gpu:N.
     */
    static String label(final Device device)
    {
        return device.isGpu() ? Device.Type.GPU + ":" + device.getDeviceId() : device.getDeviceType();
    }

    /**
     * @return the device as PyTorch names it: cpu, cuda:N.
     */
    static String torchName(final Device device)
    {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : device.getDeviceType();
    }

    /**
     * @return DJL's device of that name, null when it is none or several (DJL's {@code gpu0+gpu1}: a run trains on
     * one).
     */
    private static Device parse(final String name, final Engine engine)
    {
        if (name.contains("+"))
        {
            return null;
        }
        try
        {
            // DJL spells the N-th GPU gpuN, and would make a bare "gpu" device -1.
            return Device.fromName(name.equals(Device.Type.GPU) ? "gpu0" : name.replace(":", ""), engine);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }
}
