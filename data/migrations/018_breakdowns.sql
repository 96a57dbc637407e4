-- Meta insights by breakdown (issue 21), one table per breakdown, read once a day per account for
-- the account's yesterday (its own time zone) at the level where the budget lives: entity_type is
-- 'campaign' (CBO) or 'adset', entity_id the Meta id of that campaign or ad set. Money is DECIMAL
-- in the account's currency; purchase_value is Meta's attributed value (not strateg.is revenue).
-- Re-reading a day replaces that account's rows for the day (DELETE + INSERT in one transaction).

CREATE TABLE meta_breakdown_age_gender (
  day              DATE NOT NULL,
  account_id       VARCHAR NOT NULL,
  entity_type      VARCHAR NOT NULL CHECK (entity_type IN ('campaign', 'adset')),
  entity_id        VARCHAR NOT NULL,
  meta_campaign_id VARCHAR NOT NULL,
  age              VARCHAR NOT NULL,   -- '18-24' ... '65+', 'Unknown'
  gender           VARCHAR NOT NULL,   -- 'female' | 'male' | 'unknown'
  spend            DECIMAL(18, 2) NOT NULL,
  impressions      BIGINT NOT NULL,
  clicks           BIGINT NOT NULL,
  purchases        BIGINT NOT NULL,
  purchase_value   DECIMAL(18, 2) NOT NULL,
  synced_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (day, entity_type, entity_id, age, gender)
);

CREATE TABLE meta_breakdown_placement (
  day                DATE NOT NULL,
  account_id         VARCHAR NOT NULL,
  entity_type        VARCHAR NOT NULL CHECK (entity_type IN ('campaign', 'adset')),
  entity_id          VARCHAR NOT NULL,
  meta_campaign_id   VARCHAR NOT NULL,
  publisher_platform VARCHAR NOT NULL, -- facebook | instagram | audience_network | messenger
  platform_position  VARCHAR NOT NULL, -- feed | story | reels | right_hand_column | ...
  impression_device  VARCHAR NOT NULL, -- android_smartphone | iphone | desktop | ...
  spend              DECIMAL(18, 2) NOT NULL,
  impressions        BIGINT NOT NULL,
  clicks             BIGINT NOT NULL,
  purchases          BIGINT NOT NULL,
  purchase_value     DECIMAL(18, 2) NOT NULL,
  synced_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (day, entity_type, entity_id, publisher_platform, platform_position, impression_device)
);

CREATE TABLE meta_breakdown_country (
  day              DATE NOT NULL,
  account_id       VARCHAR NOT NULL,
  entity_type      VARCHAR NOT NULL CHECK (entity_type IN ('campaign', 'adset')),
  entity_id        VARCHAR NOT NULL,
  meta_campaign_id VARCHAR NOT NULL,
  country          VARCHAR NOT NULL,   -- ISO 3166-1 alpha-2, as Meta returns it
  spend            DECIMAL(18, 2) NOT NULL,
  impressions      BIGINT NOT NULL,
  clicks           BIGINT NOT NULL,
  purchases        BIGINT NOT NULL,
  purchase_value   DECIMAL(18, 2) NOT NULL,
  synced_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (day, entity_type, entity_id, country)
);

CREATE TABLE meta_breakdown_region (
  day              DATE NOT NULL,
  account_id       VARCHAR NOT NULL,
  entity_type      VARCHAR NOT NULL CHECK (entity_type IN ('campaign', 'adset')),
  entity_id        VARCHAR NOT NULL,
  meta_campaign_id VARCHAR NOT NULL,
  region           VARCHAR NOT NULL,   -- Meta's region name, e.g. 'California'
  spend            DECIMAL(18, 2) NOT NULL,
  impressions      BIGINT NOT NULL,
  clicks           BIGINT NOT NULL,
  purchases        BIGINT NOT NULL,
  purchase_value   DECIMAL(18, 2) NOT NULL,
  synced_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (day, entity_type, entity_id, region)
);

-- hourly_stats_aggregated_by_advertiser_time_zone: '13:00:00 - 13:59:59' is hour 13 of the
-- account's own day.
CREATE TABLE meta_breakdown_hour (
  day              DATE NOT NULL,
  account_id       VARCHAR NOT NULL,
  entity_type      VARCHAR NOT NULL CHECK (entity_type IN ('campaign', 'adset')),
  entity_id        VARCHAR NOT NULL,
  meta_campaign_id VARCHAR NOT NULL,
  hour             SMALLINT NOT NULL CHECK (hour BETWEEN 0 AND 23),
  spend            DECIMAL(18, 2) NOT NULL,
  impressions      BIGINT NOT NULL,
  clicks           BIGINT NOT NULL,
  purchases        BIGINT NOT NULL,
  purchase_value   DECIMAL(18, 2) NOT NULL,
  synced_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (day, entity_type, entity_id, hour)
);

-- One row per account and day whose breakdowns are complete (every breakdown read), so the
-- suggestions and report cells use only finished days.
CREATE TABLE meta_breakdown_runs (
  day          DATE NOT NULL,
  account_id   VARCHAR NOT NULL,
  time_zone    VARCHAR NOT NULL,
  finished_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (day, account_id)
);
