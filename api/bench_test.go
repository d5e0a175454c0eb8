package api

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"
)

// BenchmarkJobs measures job throughput and latency: each op is a batch of
// 200 connid jobs over 50 prepared sessions, started round-robin on the
// replicas and waited for. Latency is the job's own record: created to
// finished. Run it with
//
//	go test ./api -run '^$' -bench Jobs -benchtime 1x -count 5
func BenchmarkJobs(b *testing.B) {
	for _, tc := range []struct {
		name     string
		st       store
		replicas int
	}{
		{"bbolt", boltStore, 1},
		{"postgres-1", postgresStore, 1},
		{"postgres-2", postgresStore, 2},
	} {
		b.Run(tc.name, func(b *testing.B) {
			o := options(b, tc.st)
			o.JobTimeout = time.Minute
			var cs []*client
			for range tc.replicas {
				_, c := startWith(b, o)
				cs = append(cs, c)
			}
			const sessions, perSession = 50, 4
			sids := make([]string, sessions)
			var wg sync.WaitGroup
			for i := range sids {
				wg.Add(1)
				go func() { defer wg.Done(); sids[i] = prepare(b, cs[i%len(cs)]) }()
			}
			wg.Wait()

			var latencies []time.Duration
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				latencies = append(latencies, batch(b, cs, sids, perSession)...)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
			b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "jobs/s")
			b.ReportMetric(ms(latencies[len(latencies)/2]), "p50-ms")
			b.ReportMetric(ms(latencies[len(latencies)*99/100]), "p99-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// batch starts perSession connid jobs in every session and waits for them
// all, polling each session's job list; it returns their latencies.
func batch(b *testing.B, cs []*client, sids []string, perSession int) []time.Duration {
	var mu sync.Mutex
	var out []time.Duration
	var wg sync.WaitGroup
	for i, sid := range sids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := "/api/v1/session/" + sid + "/classes/User/connid"
			want := map[string]bool{}
			for k := range perSession {
				want[cs[(i+k)%len(cs)].start(path)] = true
			}
			c := cs[i%len(cs)]
			for deadline := time.Now().Add(2 * time.Minute); len(want) > 0; {
				var list struct{ Jobs []jobView }
				c.do("GET", "/api/v1/session/"+sid+"/jobs", nil, &list)
				for _, j := range list.Jobs {
					if !want[j.JobID] || (j.Status != "finished" && j.Status != "failed") {
						continue
					}
					if j.Status == "failed" {
						b.Errorf("job %s failed: %v", j.JobID, j.Errors)
					}
					delete(want, j.JobID)
					created, _ := time.Parse(time.RFC3339Nano, j.CreatedAt)
					done, _ := time.Parse(time.RFC3339Nano, j.UpdatedAt)
					mu.Lock()
					out = append(out, done.Sub(created))
					mu.Unlock()
				}
				if time.Now().After(deadline) {
					panic(fmt.Sprintf("session %s: %d jobs never ended", sid, len(want)))
				}
				// Seldom: the polls would otherwise take the CPU the jobs
				// need. Latencies come from the records, not the polls.
				time.Sleep(200 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	return out
}
