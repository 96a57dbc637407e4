import { z } from 'zod';

/**
 * Meta's manual placements (targeting spec: publisher_platforms and <platform>_positions). A
 * targeting without publisher_platforms is Advantage+ (automatic) placements: every platform and
 * position below, which is what excluding one placement has to spell out.
 */
export const META_POSITIONS = {
  facebook: [
    'feed',
    'right_hand_column',
    'marketplace',
    'video_feeds',
    'story',
    'search',
    'instream_video',
    'facebook_reels',
    'profile_feed',
  ],
  instagram: ['stream', 'story', 'explore', 'explore_home', 'reels', 'profile_feed', 'ig_search'],
  audience_network: ['classic', 'rewarded_video'],
  messenger: ['messenger_home', 'story', 'sponsored_messages'],
} as const satisfies Record<string, readonly string[]>;
export type PublisherPlatform = keyof typeof META_POSITIONS;
const PLATFORMS = Object.keys(META_POSITIONS) as PublisherPlatform[];

export const placementSchema = z.object({
  publisher_platform: z.enum(PLATFORMS as [PublisherPlatform, ...PublisherPlatform[]]),
  platform_position: z.string().regex(/^[a-z_]+$/, "a Meta position such as 'feed' or 'story'"),
});
export type Placement = z.infer<typeof placementSchema>;

/** "instagram/story" (the breakdown's segment) as a placement; null for anything else. */
export function placementOf(segment: string): Placement | null {
  const [publisher_platform, platform_position, ...rest] = segment.split('/');
  if (rest.length) return null;
  const parsed = placementSchema.safeParse({ publisher_platform, platform_position });
  return parsed.success ? parsed.data : null;
}

const positionsKey = (p: PublisherPlatform) => `${p}_positions`;

/**
 * The targeting with `placements` left out, everything else as it was. Automatic placements (or a
 * platform without its positions listed) are first spelled out as Meta's full list; a platform
 * left with no position is dropped from publisher_platforms. Null: nothing to change (already out).
 */
export function withoutPlacements(
  targeting: Record<string, unknown>,
  placements: readonly Placement[],
): Record<string, unknown> | null {
  const listed = Array.isArray(targeting.publisher_platforms)
    ? (targeting.publisher_platforms as string[]).filter((p): p is PublisherPlatform => p in META_POSITIONS)
    : PLATFORMS;
  const positions = new Map<PublisherPlatform, string[]>();
  for (const p of listed) {
    const own = targeting[positionsKey(p)];
    positions.set(p, Array.isArray(own) ? [...(own as string[])] : [...META_POSITIONS[p]]);
  }
  let changed = false;
  for (const { publisher_platform: p, platform_position: position } of placements) {
    const list = positions.get(p);
    if (!list?.includes(position)) continue;
    list.splice(list.indexOf(position), 1);
    changed = true;
  }
  if (!changed) return null;
  const next: Record<string, unknown> = { ...targeting };
  const kept = listed.filter((p) => positions.get(p)!.length > 0);
  next.publisher_platforms = kept;
  for (const p of PLATFORMS) {
    if (kept.includes(p)) next[positionsKey(p)] = positions.get(p);
    else delete next[positionsKey(p)];
  }
  return next;
}
