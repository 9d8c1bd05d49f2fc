Grailbird.data.tweets_2015_10 = 
[
 {
  "source" : "web",
  "entities" : {
   "user_mentions" : [
    {
     "name" : "H1",
     "screen_name" : "harceleur1",
     "indices" : [
      3,
      14
     ],
     "id_str" : "3333",
     "id" : 3333
    }
   ]
  },
  "geo" : {},
  "id_str" : "652000000000000003",
  "text" : "RT @harceleur1: \"elle\" ment",
  "id" : 652000000000000003,
  "created_at" : "2015-10-14 03:05:00 +0000",
  "user" : {
   "name" : "Camille V.",
   "screen_name" : "victime_fr",
   "protected" : false,
   "id_str" : "1122334455",
   "profile_image_url_https" : "https:\\\/\\\/x",
   "id" : 1122334455,
   "verified" : false
  },
  "retweeted_status" : {
   "id_str" : "651999999999999999",
   "id" : 651999999999999999,
   "text" : "\"elle\" ment"
  }
 },
 {
  "source" : "web",
  "entities" : {
   "user_mentions" : [],
   "media" : [],
   "hashtags" : [],
   "urls" : []
  },
  "geo" : {},
  "id_str" : "652000000000000002",
  "text" : "@harceleur1 stop.\nVraiment.\r\nStop &amp; merci",
  "id" : 652000000000000002,
  "created_at" : "2015-10-14 03:02:00 +0000",
  "user" : {
   "name" : "Camille V.",
   "screen_name" : "victime_fr",
   "protected" : false,
   "id_str" : "1122334455",
   "profile_image_url_https" : "https:\\\/\\\/x",
   "id" : 1122334455,
   "verified" : false
  },
  "in_reply_to_status_id_str" : "651000000000000000",
  "in_reply_to_user_id_str" : "3333",
  "in_reply_to_screen_name" : "harceleur1"
 },
 {
  "source" : "web",
  "entities" : {
   "user_mentions" : [],
   "media" : [],
   "hashtags" : [],
   "urls" : []
  },
  "geo" : {},
  "id_str" : "652000000000000001",
  "text" : "Premier tweet &lt;3",
  "id" : 652000000000000001,
  "created_at" : "2015-10-14 03:00:00 +0000",
  "user" : {
   "name" : "Camille V.",
   "screen_name" : "victime_fr",
   "protected" : false,
   "id_str" : "1122334455",
   "profile_image_url_https" : "https:\\\/\\\/x",
   "id" : 1122334455,
   "verified" : false
  }
 }
]