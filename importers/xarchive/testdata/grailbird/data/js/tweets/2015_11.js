Grailbird.data.tweets_2015_11 = 
[
 {
  "source" : "web",
  "entities" : {
   "user_mentions" : [],
   "media" : [],
   "hashtags" : [],
   "urls" : []
  },
  "geo" : {},
  "id_str" : "663000000000000001",
  "text" : "Novembre \u2728",
  "id" : 663000000000000001,
  "created_at" : "2015-11-01 08:00:00 +0000",
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