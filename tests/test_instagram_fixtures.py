"""Instagram: every file of ../shared/fixtures/instagram and the Instagram files among the Waultar
parser samples, with counts checked by hand against the JSON (comments say how)."""
from __future__ import annotations

import shutil
from collections import Counter





def per_file(audit) -> dict[str, int]:
    return {str(p): int(n) for p, n in zip(audit.files["path"], audit.files["items"])}


def kinds(audit) -> Counter:
    return Counter(zip(audit.items["category"].astype(str), audit.items["kind"].astype(str)))


def test_context_use_v1(shared_fixtures, scan_ig):
    audit = scan_ig(shared_fixtures / "instagram" / "context-use" / "v1" / "threads")
    files = per_file(audit)
    assert len(files) == 34 and set(audit.files["status"]) == {"parsed"}
    # counted by hand: one per element of the bare list / of the wrapped list in each file
    expected = {
        "personal_information/personal_information/personal_information.json": 1,
        "ads_information/ads_and_topics/ads_clicked.json": 3,
        "ads_information/ads_and_topics/ads_viewed.json": 3,
        "ads_information/ads_and_topics/posts_viewed.json": 2,
        "ads_information/ads_and_topics/videos_watched.json": 2,
        "ads_information/instagram_ads_and_businesses/ad_preferences.json": 1,  # one label_values object
        "apps_and_websites_off_of_instagram/apps_and_websites/your_activity_off_meta_technologies.json": 1,  # 1 event
        "connections/contacts/synced_contacts.json": 2,
        "connections/followers_and_following/close_friends.json": 1,
        "connections/followers_and_following/followers_1.json": 2,
        "connections/followers_and_following/following.json": 2,
        "connections/followers_and_following/pending_follow_requests.json": 1,
        "logged_information/link_history/link_history.json": 1,
        "logged_information/recent_searches/profile_searches.json": 3,
        "logged_information/recent_searches/word_or_phrase_searches.json": 1,
        "personal_information/device_information/devices.json": 2,
        "preferences/settings/notification_preferences.json": 1,
        "security_and_login_information/login_and_profile_creation/login_activity.json": 1,
        "security_and_login_information/login_and_profile_creation/signup_details.json": 1,
        "your_instagram_activity/comments/post_comments_1.json": 2,
        "your_instagram_activity/comments/reels_comments.json": 1,
        "your_instagram_activity/likes/liked_comments.json": 1,
        "your_instagram_activity/likes/liked_posts.json": 2,
        "your_instagram_activity/media/posts_1.json": 1,
        "your_instagram_activity/media/profile_photos.json": 1,
        "your_instagram_activity/media/reels.json": 1,
        "your_instagram_activity/media/stories.json": 3,
        "your_instagram_activity/messages/inbox/bobsmith_1234567890/message_1.json": 5,
        "your_instagram_activity/messages/message_requests/spambot_9876543210/message_1.json": 1,
        "your_instagram_activity/messages/secret_conversations.json": 1,  # one armadillo device
        "your_instagram_activity/saved/saved_collections.json": 4,  # 2 collection headers + 2 saved posts
        "your_instagram_activity/saved/saved_posts.json": 1,
        "your_instagram_activity/story_interactions/polls.json": 1,
        "your_instagram_activity/story_interactions/story_likes.json": 2,
    }
    assert files == expected
    account = audit.accounts["instagram"]
    assert account.owner_names == {"alice_synthetic", "Alice Synthetic"}
    assert account.private_account is False  # "Private account": "False"
    assert account.birth_date == "1990-06-15"
    items = audit.items
    messages = items[items["category"] == "messages"]
    # alice_synthetic sent 2 of the 5 inbox messages; bobsmith 3; spambot_account 1
    assert (messages["actor"] == "self").sum() == 2 and (messages["actor"] == "other").sum() == 4
    found = kinds(audit)
    assert found[("stories_reels", "story")] == 3 and found[("stories_reels", "reel")] == 1
    assert found[("other", "saved_collection")] == 2 and found[("other", "saved")] == 3
    comments = items[items["kind"] == "comment"].set_index("counterpart")["text"].to_dict()
    assert comments == {"synthetic_foodblog": "This looks amazing!",
                        "synthetic_photographer": "Great photo, love the lighting"}
    # liked_posts v1: the owner comes from the Owner dict's Username
    likes = items[items["kind"] == "like"]
    assert sorted(likes["counterpart"]) == ["synthetic_foodblog", "synthetic_traveler"]
    ads = items[items["kind"] == "ad_viewed"]
    assert sorted(ads["counterpart"]) == ["", "coolshop", "example_brand"]  # the 2nd ad has no Owner
    searches = items[items["category"] == "search_history"]
    assert sorted(searches["text"]) == ["synthetic search query pasta recipe", "synthetic_chef_account",
                                        "synthetic_fitness_coach", "synthetic_travel_blog"]
    bio = items[items["kind"] == "profile"]["text"].iloc[0]
    assert bio == "Just a synthetic test account ✨"


def test_context_use_v0(shared_fixtures, scan_ig):
    audit = scan_ig(shared_fixtures / "instagram" / "context-use" / "v0" / "threads")
    # wrapped v0 shapes: impressions_history_posts_seen 3, videos_watched 3, likes_media_likes 2,
    # story_activities_story_likes 2
    assert kinds(audit) == Counter({("activity_log", "post_viewed"): 3, ("activity_log", "video_watched"): 3,
                                    ("reactions", "like"): 2, ("reactions", "story_like"): 2})
    viewed = audit.items[audit.items["kind"] == "post_viewed"]
    assert sorted(viewed["counterpart"]) == ["synthetic_foodie", "synthetic_foodie", "synthetic_traveler"]
    likes = audit.items[audit.items["kind"] == "like"]
    assert sorted(likes["counterpart"]) == ["synthetic_foodblog", "synthetic_traveler"]  # the title


def test_chat_miner_thread(shared_fixtures, tmp_path, scan_ig):
    thread = tmp_path / "export" / "your_instagram_activity" / "messages" / "inbox" / "janedoe_1"
    thread.mkdir(parents=True)
    shutil.copy(shared_fixtures / "instagram" / "test_export.json", thread / "message_1.json")
    audit = scan_ig(tmp_path / "export")
    # two messages, John Doe and Jane Doe; no profile and one thread, so nobody is known to be
    # the owner and neither sender can be called self or other
    assert len(audit.items) == 2
    assert set(audit.items["actor"]) == {"unknown"}
    assert sorted(audit.items["text"]) == ["Hello Jane!", "Hello John!"]


WAULTAR_2021 = {  # sample file -> where a 2021 export keeps it
    "instagram_post.json": "content/posts_1.json",
    "profile_photos.json": "content/profile_photos.json",
    "personal_information.json": "account_information/personal_information.json",
    "post_comments.json": "comments/post_comments.json",
    "signup_information.json": "login_and_account_creation/signup_information.json",
}


def test_waultar_instagram_samples(shared_fixtures, tmp_path, scan_ig):
    samples = shared_fixtures / "facebook" / "waultar" / "parser-samples"
    root = tmp_path / "export"
    for name, path in WAULTAR_2021.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(samples / name, root / path)
    audit = scan_ig(root)
    assert per_file(audit) == {
        "content/posts_1.json": 5,  # five {media: [...]} posts
        "content/profile_photos.json": 2,  # two ig_profile_picture entries
        "account_information/personal_information.json": 1,
        "comments/post_comments.json": 2,  # two comments_media_comments records
        "login_and_account_creation/signup_information.json": 1,
    }
    account = audit.accounts["instagram"]
    assert account.owner_names == {"REDACTED USERNAME", "REDACTED NAME"} and account.private_account is False
    posts = audit.items[audit.items["kind"] == "post"]
    # media per post: 1, 1, 1, 2 (the carousel whose caption is on the post), 1
    assert sorted(posts["media_count"]) == [1, 1, 1, 1, 2]
    assert "Anyone else feel spring around the corner? 🙌" in set(posts["text"])
    carousel = posts[posts["media_count"] == 2].iloc[0]
    assert carousel["text"].startswith("And finally, after a long wait (f… my foot)")
    assert carousel["timestamp"].timestamp() == 1530370226  # the post's own creation_timestamp
    signup = audit.items[audit.items["kind"] == "account_created"].iloc[0]
    assert signup["timestamp"].timestamp() == 1499666437


def test_waultar_mixed_media_list(shared_fixtures, tmp_path, scan_ig):
    """instagram_media.json mixes posts with {ig_profile_picture: [...]} and {ig_igtv_media: [...]}
    records: each counts under its own kind."""
    root = tmp_path / "export" / "content"
    root.mkdir(parents=True)
    shutil.copy(shared_fixtures / "facebook" / "waultar" / "parser-samples" / "instagram_media.json",
                root / "posts_1.json")
    audit = scan_ig(tmp_path / "export")
    # 4 {media: [...]} posts, 1 profile picture, 1 IGTV video
    assert kinds(audit) == Counter({("posts", "post"): 4, ("photos_videos", "profile_photo"): 1,
                                    ("stories_reels", "igtv"): 1})
