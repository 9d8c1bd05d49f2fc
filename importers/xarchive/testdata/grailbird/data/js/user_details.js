var user_details =  {
  "screen_name" : "victime_fr",
  "location" : "",
  "full_name" : "Camille V.",
  "bio" : "",
  "id" : "1122334455",
  "created_at" : "2012-03-01 10:00:00 +0000"
}