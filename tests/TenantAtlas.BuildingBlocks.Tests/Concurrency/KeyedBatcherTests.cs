using System.Collections.Concurrent;
using TenantAtlas.BuildingBlocks.Concurrency;

namespace TenantAtlas.BuildingBlocks.Tests.Concurrency;

/// <summary>KeyedBatcher: one batch per key at a time; calls that arrive meanwhile form the next batch, which starts after them.</summary>
public sealed class KeyedBatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A batch function that records each batch and blocks until released.</summary>
    private sealed class Recorder
    {
        public readonly ConcurrentQueue<(string Key, string[] Items)> Batches = new();
        public readonly SemaphoreSlim Started = new(0);
        public TaskCompletionSource Release { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<string>> ExecuteAsync(string key, IReadOnlyList<string> items)
        {
            Batches.Enqueue((key, [.. items]));
            Started.Release();
            await Release.Task;
            return [.. items.Select(i => $"{i}@batch{Batches.Count}")];
        }
    }

    [Fact]
    public async Task Calls_arriving_while_a_batch_runs_are_answered_together_by_the_next_batch()
    {
        var recorder = new Recorder();
        var batcher = new KeyedBatcher<string, string, string>(recorder.ExecuteAsync);

        var first = batcher.RunAsync("k", "a");
        (await recorder.Started.WaitAsync(Patience)).Should().BeTrue();
        var later = new[] { batcher.RunAsync("k", "b"), batcher.RunAsync("k", "c"), batcher.RunAsync("k", "d") };
        await Task.Delay(100);

        recorder.Batches.Should().ContainSingle("the calls that came while batch 1 ran wait for it to end");
        recorder.Release.SetResult();

        (await first.WaitAsync(Patience)).Should().Be("a@batch1");
        (await Task.WhenAll(later).WaitAsync(Patience)).Should().Equal("b@batch2", "c@batch2", "d@batch2");
        recorder.Batches.Select(b => b.Items).Should().BeEquivalentTo(new[] { new[] { "a" }, ["b", "c", "d"] }, o => o.WithStrictOrdering());
        batcher.BatchesExecuted.Should().Be(2);
    }

    [Fact]
    public async Task Different_keys_run_side_by_side()
    {
        var recorder = new Recorder();
        var batcher = new KeyedBatcher<string, string, string>(recorder.ExecuteAsync);

        var one = batcher.RunAsync("tenant-1", "a");
        var two = batcher.RunAsync("tenant-2", "b");

        (await recorder.Started.WaitAsync(Patience)).Should().BeTrue();
        (await recorder.Started.WaitAsync(Patience)).Should().BeTrue("the second key does not wait for the first key's batch");
        recorder.Release.SetResult();
        await Task.WhenAll(one, two).WaitAsync(Patience);
        recorder.Batches.Select(b => b.Key).Should().BeEquivalentTo("tenant-1", "tenant-2");
    }

    [Fact]
    public async Task A_failing_batch_fails_each_of_its_calls_and_the_next_batch_runs_anyway()
    {
        var calls = 0;
        var batcher = new KeyedBatcher<string, int, int>(async (_, items) =>
        {
            await Task.Yield();
            return Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("database down") : [.. items.Select(i => i * 10)];
        });

        var failed = () => batcher.RunAsync("k", 1);
        await failed.Should().ThrowAsync<InvalidOperationException>().WithMessage("database down");

        (await batcher.RunAsync("k", 2).WaitAsync(Patience)).Should().Be(20);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_but_the_batch_still_answers_the_others()
    {
        var recorder = new Recorder();
        var batcher = new KeyedBatcher<string, string, string>(recorder.ExecuteAsync);
        using var cancel = new CancellationTokenSource();

        var leaver = batcher.RunAsync("k", "a", cancel.Token);
        var stayer = batcher.RunAsync("k", "b");
        (await recorder.Started.WaitAsync(Patience)).Should().BeTrue();
        await cancel.CancelAsync();

        await leaver.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        recorder.Release.SetResult();
        (await stayer.WaitAsync(Patience)).Should().StartWith("b@batch");
    }

    [Fact]
    public async Task A_batch_takes_at_most_the_maximum_and_leaves_the_rest_for_the_next()
    {
        var recorder = new Recorder();
        var batcher = new KeyedBatcher<string, string, string>(recorder.ExecuteAsync, maxBatchSize: 2);

        var first = batcher.RunAsync("k", "a");
        (await recorder.Started.WaitAsync(Patience)).Should().BeTrue();
        var rest = new[] { "b", "c", "d" }.Select(i => batcher.RunAsync("k", i)).ToArray();
        recorder.Release.SetResult();
        await Task.WhenAll([first, .. rest]).WaitAsync(Patience);

        recorder.Batches.Select(b => b.Items).Should().BeEquivalentTo(new[] { new[] { "a" }, ["b", "c"], ["d"] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task A_thousand_concurrent_calls_all_get_their_own_answer()
    {
        var batcher = new KeyedBatcher<int, int, int>(async (_, items) =>
        {
            await Task.Delay(5);
            return [.. items.Select(i => -i)];
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => batcher.RunAsync(i % 3, i)))).WaitAsync(Patience);

        answers.Should().Equal(Enumerable.Range(0, 1000).Select(i => -i));
        batcher.BatchesExecuted.Should().BeLessThan(1000);
    }

    [Fact]
    public async Task No_call_is_lost_while_idle_keys_are_dropped_and_recreated()
    {
        var batcher = new KeyedBatcher<int, int, int>(async (_, items) =>
        {
            await Task.Yield();
            return [.. items.Select(i => i + 1)];
        });

        for (var wave = 0; wave < 50; wave++)
        {
            var calls = Enumerable.Range(0, 100).Select(i => Task.Run(() => batcher.RunAsync(i % 2, wave * 1000 + i))).ToArray();
            (await Task.WhenAll(calls).WaitAsync(Patience)).Should().Equal(Enumerable.Range(0, 100).Select(i => wave * 1000 + i + 1), $"wave {wave}");
        }
    }
}
